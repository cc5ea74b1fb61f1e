/**
 * The supervisor with real child processes (test/unit/main/fixtures/child.ts): prefixed output, restarts with capped
 * backoff that never give up (a flapping part is reported, and at start-up a never-ready one fails), readiness from a log line, and shutdown in stages with SIGKILL after the timeout.
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

/** Waits until `count` lines match `pattern` (or the time is up) and returns the matching lines. */
async function linesMatching(lines: string[], pattern: RegExp, count: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (lines.filter((line) => pattern.test(line)).length < count && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 100));
  return lines.filter((line) => pattern.test(line));
}

test('a part that was ready keeps being restarted however often it crashes, with capped backoff and a flapping warning', async () => {
  const lines: string[] = [];
  const supervisor = supervisorWith([part('relay', 'ready-then-crash', 0)], lines, {
    backoffBaseMs: 100,
    backoffMaxMs: 400,
    stableAfterMs: 60_000,
    flappingAfter: 3,
  });
  supervisor.start();
  await supervisor.waitReady(['relay'], 50_000);
  // well past the threshold (twice): it must still be restarted, not given up on
  const exits = await linesMatching(lines, /^\[main *\] relay exited with code 3 /, 7, 50_000);
  const status = supervisor.status()[0];
  await supervisor.shutdown();

  expect(exits.length).toBeGreaterThanOrEqual(7);
  expect(
    lines.filter((line) => / relay ready again \(says ready\)/.test(line)).length,
  ).toBeGreaterThanOrEqual(6);
  expect(status.restarts).toBeGreaterThanOrEqual(7);
  expect(status.flapping).toBe(true);
  // backoff doubles from the base, then stays at the cap
  const delays = exits.slice(0, 7).map((line) => /restarting it in (\d+\.\d) s/.exec(line)?.[1]);
  expect(delays).toEqual(['0.1', '0.2', '0.4', '0.4', '0.4', '0.4', '0.4']);
  expect(lines.some((line) => /giv(e|ing) up/.test(line))).toBe(false);
  // loud: a warning when the streak reaches the threshold and again every as many crashes after
  const warnings = lines.filter((line) => /^\[main *\] WARNING: relay is flapping: /.test(line));
  expect(warnings.length).toBeGreaterThanOrEqual(2);
  expect(warnings[0]).toMatch(
    /relay is flapping: 3 crashes within \d+\.\d s, each within 60\.0 s of starting; still restarting every 0\.4 s/,
  );
  expect(warnings[1]).toMatch(/relay is flapping: 6 crashes within /);
});

test('start-up: a part that keeps crashing before it was ever ready fails waitReady with its last lines', async () => {
  const lines: string[] = [];
  const supervisor = supervisorWith([part('crasher', 'crash', 0)], lines, {
    backoffBaseMs: 10,
    backoffMaxMs: 40,
    stableAfterMs: 60_000,
    flappingAfter: 3,
  });
  supervisor.start();
  const failure = await supervisor.waitReady(['crasher'], 50_000).catch((error: unknown) => error);
  await supervisor.shutdown();

  expect(failure).toBeInstanceOf(PartFailedError);
  expect((failure as PartFailedError).part).toBe('crasher');
  expect((failure as PartFailedError).message).toBe(
    'crasher crashed 3 times in a row without ever becoming ready',
  );
  expect((failure as PartFailedError).lastLines).toContain('about to crash');
  const reports = lines.filter((line) => /^\[main *\]/.test(line));
  expect(
    reports.filter((line) => /crasher exited with code 3 at \d\d:\d\d:\d\d/.test(line)).length,
  ).toBeGreaterThanOrEqual(3);
  expect(reports.some((line) => line.includes('restarting it in 0.0 s (restart 1; rapid crash 1)'))).toBe(
    true,
  );
  expect(reports.some((line) => line.includes('WARNING: crasher is flapping: 3 crashes within'))).toBe(true);
  expect(supervisor.status()[0].state).toBe('stopped');
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
