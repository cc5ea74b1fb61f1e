/**
 * The supervisor with real child processes (test/unit/main/fixtures/child.ts): prefixed output, restarts with backoff
 * and giving up, readiness from a log line, and shutdown in stages with SIGKILL after the timeout.
 */
import * as path from 'node:path';
import { PartFailedError, Supervisor, type PartSpec } from '../../../start/supervisor';

jest.setTimeout(60_000);

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const CHILD = 'test/unit/main/fixtures/child.ts';
const readyLine = { kind: 'log', what: 'says ready', message: /"msg":"ready"/ } as const;

function part(name: string, mode: string, stopStage: number, stopTimeoutMs = 10_000): PartSpec {
  return { name, script: CHILD, args: [mode], readiness: readyLine, stopStage, stopTimeoutMs };
}

function supervisorWith(parts: PartSpec[], lines: string[], restart = {}) {
  return new Supervisor({
    parts,
    cwd: REPO_ROOT,
    style: { colour: false, raw: false },
    write: (line) => lines.push(line),
    restart,
  });
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('a crashing part is restarted with backoff, then given up on after the rapid-crash limit', async () => {
  const lines: string[] = [];
  const supervisor = supervisorWith([part('crasher', 'crash', 0)], lines, {
    backoffBaseMs: 10,
    backoffMaxMs: 40,
    stableAfterMs: 60_000,
    maxRapidCrashes: 3,
  });
  supervisor.start();
  const failure = await supervisor.waitReady(['crasher'], 50_000).catch((error: unknown) => error);
  await supervisor.shutdown();

  expect(failure).toBeInstanceOf(PartFailedError);
  expect((failure as PartFailedError).part).toBe('crasher');
  expect((failure as PartFailedError).lastLines).toContain('about to crash');
  expect(lines.filter((line) => line.startsWith('[crasher] about to crash'))).toHaveLength(3);
  const reports = lines.filter((line) => /^\[main *\]/.test(line));
  expect(reports.filter((line) => /crasher exited with code 3 at \d\d:\d\d:\d\d/.test(line))).toHaveLength(3);
  expect(reports.filter((line) => line.includes('restarting it in'))).toHaveLength(2);
  expect(
    reports.some((line) => line.includes('restarting it in 0.0 s (restart 1; rapid crash 1 of at most 3)')),
  ).toBe(true);
  expect(
    reports.some((line) => line.includes('3 crashes in a row') && line.includes('giving up on it')),
  ).toBe(true);
});

test('parts stop stage by stage; one that ignores SIGTERM is killed after its timeout', async () => {
  const lines: string[] = [];
  const parts = [
    part('api', 'steady', 0),
    part('stubborn', 'stubborn', 1, 500),
    part('service', 'steady', 2),
  ];
  const supervisor = supervisorWith(parts, lines);
  supervisor.start();
  await supervisor.waitReady(['api', 'stubborn', 'service'], 50_000);
  const pids = supervisor.status().map((s) => s.pid);
  expect(pids.every((pid) => typeof pid === 'number' && isAlive(pid))).toBe(true);
  await supervisor.shutdown();
  expect(pids.filter((pid) => isAlive(pid!))).toEqual([]);
  expect(supervisor.status().map((s) => s.state)).toEqual(['stopped', 'stopped', 'stopped']);

  const index = (pattern: RegExp) => lines.findIndex((line) => pattern.test(line));
  const apiStopped = index(/^\[main *\] api stopped \(code 0\)/);
  const stubbornKilled = index(/stubborn did not stop within 0\.5 s of SIGTERM; sending SIGKILL/);
  const serviceStopping = index(/^\[main *\] stopping service$/);
  const serviceStopped = index(/service stopped \(code 0\)/);
  expect(apiStopped).toBeGreaterThanOrEqual(0);
  expect(stubbornKilled).toBeGreaterThan(apiStopped);
  expect(serviceStopping).toBeGreaterThan(stubbornKilled);
  expect(serviceStopped).toBeGreaterThan(serviceStopping);
  // the children's own lines, compacted and prefixed
  expect(lines).toContainEqual(
    expect.stringMatching(/^\[stubborn\] \d\d:\d\d:\d\d\.\d{3} INFO {2}ignoring SIGTERM tx_id=tx-1$/),
  );
  expect(lines).toContainEqual(
    expect.stringMatching(/^\[api *\] \d\d:\d\d:\d\d\.\d{3} INFO {2}bye tx_id=tx-1$/),
  );
  expect(lines.filter((line) => / ready \(says ready\) after /.test(line))).toHaveLength(3);
});
