/**
 * runProcess (common/lifecycle.ts) in a real child process (fixtures/lifecycle-child.ts): a signal stops it once and
 * it exits 0; a start failure, a stop past the grace period, a second signal and control.fail() exit 1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

jest.setTimeout(30_000);

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const CHILD = path.join(__dirname, 'fixtures', 'lifecycle-child.ts');

interface Run {
  child: ChildProcess;
  output: () => string;
  /** Resolves when stdout has a line matching `pattern`. */
  saw: (pattern: RegExp) => Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(mode: string): Run {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info' };
  delete env.DTX_LOG_FILE; // log lines to stdout, where the test reads them
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, mode], { cwd: REPO_ROOT, env });
  let out = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      if (w.pattern.test(out)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    check();
  });
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    output: () => out,
    saw: (pattern) =>
      new Promise<void>((resolve) => {
        waiters.push({ pattern, resolve });
        check();
      }),
    exited,
  };
}

test.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)('%s: the stop runs once, then exit 0', async (signal) => {
  const p = run('ok');
  await p.saw(/MARK started/);
  p.child.kill(signal);
  expect(await p.exited).toEqual({ code: 0, signal: null });
  expect(p.output().match(/MARK stopping/g)).toHaveLength(1);
  expect(p.output()).toContain('MARK stopped');
  expect(p.output()).toContain('"msg":"lifecycle-child stopped"');
});

test('a signal during start waits for start, then stops and exits 0', async () => {
  const p = run('slow-start');
  await p.saw(/MARK registered/);
  p.child.kill('SIGTERM');
  expect(await p.exited).toEqual({ code: 0, signal: null });
  expect(p.output()).toMatch(/MARK started[\s\S]*MARK stopping[\s\S]*MARK stopped/);
});

test('a start failure is logged as fatal and exits 1', async () => {
  const p = run('fail-start');
  expect(await p.exited).toEqual({ code: 1, signal: null });
  expect(p.output()).toMatch(/"level":60.*cannot bind.*"msg":"lifecycle-child failed to start"/);
  expect(p.output()).not.toContain('MARK started');
});

test('a stop that outlives the grace period exits 1', async () => {
  const p = run('hang-stop');
  await p.saw(/MARK started/);
  const sentAt = Date.now();
  p.child.kill('SIGTERM');
  expect(await p.exited).toEqual({ code: 1, signal: null });
  expect(Date.now() - sentAt).toBeLessThan(5_000);
  expect(p.output()).toContain('did not stop within the grace period');
});

test('a second signal while stopping exits 1 at once', async () => {
  const p = run('slow-stop');
  await p.saw(/MARK started/);
  p.child.kill('SIGTERM');
  await p.saw(/MARK stopping/);
  const sentAt = Date.now();
  p.child.kill('SIGTERM');
  expect(await p.exited).toEqual({ code: 1, signal: null });
  expect(Date.now() - sentAt).toBeLessThan(5_000);
  expect(p.output()).not.toContain('MARK stopped');
  expect(p.output()).toContain('second signal');
});

test('control.fail() after start logs fatal and exits 1', async () => {
  const p = run('fail-later');
  expect(await p.exited).toEqual({ code: 1, signal: null });
  expect(p.output()).toMatch(/"level":60.*consumer crashed.*"msg":"consumer stopped"/);
});
