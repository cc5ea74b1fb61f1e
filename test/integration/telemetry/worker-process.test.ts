/**
 * The worker PROCESS (workers/orchestrator/main.ts, as `npm start` runs it): its ops server answers /readyz 200 once
 * the worker polls, its /metrics carries the Temporal SDK core's metrics next to the process's, and the SDK's logs (its
 * own and core's, forwarded) are pino JSON lines honouring LOG_LEVEL. A second worker on the same ops port stops with
 * the port and DTX_WORKER_OPS_PORT named.
 *
 * It polls `dtx-orders` in a namespace of its own (dtx-test-ops), where nothing is ever started: it can take no task
 * from another test or from `npm start`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../../common/config';
import { ensureNamespace } from '../../../stack/namespace';
import { isPortFree } from '../../../stack/ports';
import { scrape } from './support/prometheus';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const NAMESPACE = 'dtx-test-ops';

async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    if (await isPortFree('127.0.0.1', port)) return port;
  }
  throw new Error('no free port');
}

async function eventually<T>(
  probe: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch {
      // not answering yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

interface LogLine {
  level: number;
  time: number;
  pid: number;
  name: string;
  msg: string;
  [field: string]: unknown;
}

const linesOf = (file: string): LogLine[] =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as LogLine);

function startWorker(env: Record<string, string>): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(REPO_ROOT, 'workers', 'orchestrator', 'main.ts')],
    { cwd: REPO_ROOT, env: { ...process.env, TEMPORAL_NAMESPACE: NAMESPACE, ...env }, stdio: 'ignore' },
  );
  return { child, exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
}

describe('worker process: ops server and SDK logs', () => {
  let dir: string;
  let port: number;
  let worker: ReturnType<typeof startWorker>;
  let logFile: string;

  beforeAll(async () => {
    await ensureNamespace({ ...loadConfig(), temporal: { ...loadConfig().temporal, namespace: NAMESPACE } });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtx-worker-ops-'));
    port = await freePort();
    logFile = path.join(dir, 'worker.log');
    worker = startWorker({ DTX_WORKER_OPS_PORT: String(port), DTX_LOG_FILE: logFile, LOG_LEVEL: 'info' });
  }, 120_000);

  afterAll(async () => {
    if (worker?.child.exitCode === null) {
      worker.child.kill('SIGTERM');
      await worker.exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  test('/readyz turns 200 once the worker polls; /metrics has the SDK core metrics and the process metrics', async () => {
    const base = `http://127.0.0.1:${port}`;
    const ready = await eventually(async () => {
      const response = await fetch(`${base}/readyz`);
      return response.status === 200 ? await response.json() : undefined;
    }, 'the worker ready');
    expect(ready).toEqual({ status: 'ready', ready: true, checks: [{ name: 'temporalPoll', ok: true }] });
    const page = await scrape(base);
    expect(page.value('temporal_num_pollers', { namespace: NAMESPACE })).toBeGreaterThan(0);
    expect(page.value('temporal_worker_start_total', { namespace: NAMESPACE })).toBe(1);
    expect(page.value('process_cpu_user_seconds_total')).toBeGreaterThan(0);
  }, 120_000);

  test("the SDK's own and core's log lines are pino JSON lines of the process", async () => {
    const temporalLines = () => linesOf(logFile).filter((line) => line.name === 'temporal');
    // the worker polls (the test before) around when it logs RUNNING, and core's lines are forwarded to the process
    // in batches: on a loaded machine they may land a moment after /readyz answered
    await eventually(
      () => {
        const lines = temporalLines();
        return Promise.resolve(
          lines.some((line) => line.state === 'RUNNING') &&
            lines.some((line) => line.sdkComponent === 'core'),
        );
      },
      "the SDK's RUNNING line and a line of core's in the log file",
      10_000,
    );
    const temporal = temporalLines();
    for (const line of temporal) {
      expect(line).toEqual(
        expect.objectContaining({
          level: expect.any(Number) as unknown,
          time: expect.any(Number) as unknown,
          msg: expect.any(String) as unknown,
        }),
      );
      expect(line.pid).toBe(worker.child.pid);
    }
    // the TS SDK's lines and the Rust core's (forwarded through Runtime.install's logger)
    expect(temporal).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ sdkComponent: 'worker', state: 'RUNNING', msg: 'Worker state changed' }),
        expect.objectContaining({ sdkComponent: 'core', namespace: NAMESPACE, msg: 'Initializing worker' }),
      ]),
    );
  });

  test('a second worker on the taken ops port stops naming it and DTX_WORKER_OPS_PORT; LOG_LEVEL=warn keeps the SDK quiet', async () => {
    const secondLog = path.join(dir, 'second.log');
    const second = startWorker({
      DTX_WORKER_OPS_PORT: String(port),
      DTX_LOG_FILE: secondLog,
      LOG_LEVEL: 'warn',
    });
    expect(await second.exited).toBe(1);
    const lines = linesOf(secondLog);
    expect(lines.filter((line) => line.level < 40)).toEqual([]);
    expect(lines.filter((line) => line.level === 60)).toEqual([
      expect.objectContaining({
        msg: 'orchestrator failed to start',
        err: expect.objectContaining({
          type: 'OpsPortInUseError',
          message:
            `the worker ops port 127.0.0.1:${port} (metrics, health) is already in use: stop what holds it, or move ` +
            'it with DTX_WORKER_OPS_PORT=<another port> (0: no ops server)',
        }) as unknown,
      }),
    ]);
  }, 120_000);
});
