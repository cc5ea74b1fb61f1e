/**
 * The relay PROCESS (workers/relay/main.ts, as `npm start` runs it) and its ops server: /healthz and /readyz, the
 * sent counter and the commit→ack histogram moving by exactly the rows written, and its own Kafka stopped and started:
 * /readyz turns 503 within seconds and back to 200, the pending gauge grows and drains. A second relay on the same
 * ops port stops at start, naming the port and the variable that moves it.
 *
 * Like test/integration/outbox/kafka-outage.test.ts, the Kafka it stops is a PRIVATE one (the stack library on free
 * ports, a throwaway data dir), never the shared broker; the outbox is a scratch database of its own, so the counts
 * are exact.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Kafka } from 'kafkajs';
import { loadConfig, type Config } from '../../../common/config';
import { createKafka } from '../../../common/kafka';
import { ensureTopics } from '../../../outbox/topics';
import { silentReporter, stackDown, stackUp } from '../../../stack';
import { isPortFree } from '../../../stack/ports';
import { createScratchDatabase, type ScratchDatabase } from '../../../tools/bench/scratch-db';
import { commitEvents, runId } from '../outbox/support/events';
import { scrape } from './support/prometheus';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** Free ports: `count` consecutive ones from a random base (the private broker needs two). */
async function freePorts(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 20_000);
    let free = true;
    for (let i = 0; i < count && free; i++) free = await isPortFree('127.0.0.1', base + i);
    if (free) return base;
  }
  throw new Error('no free ports');
}

/** Polls `probe` until it gives a value (not undefined/false; errors count as not yet); that value. */
async function eventually<T>(
  probe: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${what}${last instanceof Error ? ` (last error: ${last.message})` : ''}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

interface RelayChild {
  child: ChildProcess;
  exited: Promise<number | null>;
}

function startRelayProcess(env: Record<string, string>): RelayChild {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(REPO_ROOT, 'workers', 'relay', 'main.ts')],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: 'ignore',
    },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited };
}

async function readyStatus(base: string): Promise<{ status: number; body: unknown } | undefined> {
  try {
    const response = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(3_000) });
    return { status: response.status, body: await response.json() };
  } catch {
    return undefined; // not listening (yet)
  }
}

describe('relay process: health and metrics', () => {
  let scratch: ScratchDatabase;
  let dataDir: string;
  let config: Config;
  let kafka: Kafka;
  let relay: RelayChild;
  let env: Record<string, string>;
  let base: string;
  let opsPort: number;

  beforeAll(async () => {
    scratch = await createScratchDatabase('opshealth');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtx-ops-health-'));
    const kafkaPort = await freePorts(2);
    opsPort = await freePorts(1);
    env = {
      KAFKA_BROKERS: `127.0.0.1:${kafkaPort}`,
      KAFKA_CLIENT_ID: 'dtx-ops-health-test',
      DTX_DATA: dataDir,
      DTX_RELAY_DB_URLS: scratch.url,
      DTX_RELAY_OPS_PORT: String(opsPort),
      DTX_RELAY_POLL_MS: '300',
      DTX_RELAY_LAG_LOG_MS: '0',
      DTX_RELAY_BACKOFF_MAX_MS: '2000',
    };
    config = loadConfig({ ...process.env, ...env });
    await stackUp({ config, components: ['kafka'], out: silentReporter });
    kafka = createKafka({ config, clientSuffix: 'test' });
    await ensureTopics(kafka, { config });
    relay = startRelayProcess(env);
    base = `http://127.0.0.1:${opsPort}`;
  }, 600_000);

  afterAll(async () => {
    if (relay && relay.child.exitCode === null) {
      relay.child.kill('SIGTERM');
      await relay.exited;
    }
    await stackDown({ config, components: ['kafka'], out: silentReporter }).catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
    await scratch?.drop();
  }, 120_000);

  const sent = async () => (await scrape(base)).value('dtx_relay_sent_total', { database: scratch.name });
  const pending = async () =>
    (await scrape(base)).value('dtx_relay_pending_rows', { database: scratch.name });

  test('/healthz and /readyz answer 200; each row sent moves the counter and the latency histogram once', async () => {
    await eventually(async () => (await readyStatus(base))?.status === 200, 'the relay ready', 90_000);
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await readyStatus(base)).toEqual({
      status: 200,
      body: {
        status: 'ready',
        ready: true,
        checks: [
          { name: 'kafka', ok: true },
          { name: `database ${scratch.name}`, ok: true },
        ],
      },
    });

    const before = await scrape(base);
    const run = runId('ops');
    for (let i = 0; i < 10; i++)
      await commitEvents(scratch.db, [
        { aggregateType: 'order', aggregateId: `${run}-${i % 5}`, eventType: 'Step', payload: { i } },
      ]);
    await eventually(
      async () => (await sent()) - before.value('dtx_relay_sent_total') === 10,
      '10 rows sent',
    );
    // counted at the ack; the gauge reads the outbox, where the mark-sent (overlapped with the next round) follows
    await eventually(async () => (await pending()) === 0, 'the 10 rows marked sent');
    const after = await scrape(base);
    expect(after.value('dtx_relay_sent_total', { database: scratch.name })).toBe(10);
    expect(after.value('dtx_relay_commit_to_ack_seconds_count', { database: scratch.name })).toBe(10);
    expect(after.value('dtx_relay_commit_to_ack_seconds_sum', { database: scratch.name })).toBeGreaterThan(0);
    expect(after.value('dtx_relay_pending_rows', { database: scratch.name })).toBe(0);
    expect(after.value('dtx_relay_failed_total')).toBe(0);
  }, 120_000);

  test('Kafka stopped: /readyz 503 within seconds, pending grows; Kafka back: 200 again and the backlog drains', async () => {
    const sentBefore = await sent();
    await stackDown({ config, components: ['kafka'], out: silentReporter });
    const stoppedAt = Date.now();
    const down = await eventually(async () => {
      const ready = await readyStatus(base);
      return ready?.status === 503 ? ready : undefined;
    }, '/readyz 503');
    const secondsTo503 = (Date.now() - stoppedAt) / 1000;
    expect(secondsTo503).toBeLessThan(10);
    expect(down.body).toMatchObject({
      status: 'not ready',
      checks: [
        { name: 'kafka', ok: false },
        { name: `database ${scratch.name}`, ok: true },
      ],
    });

    const run = runId('opsdown');
    for (let i = 0; i < 20; i++)
      await commitEvents(scratch.db, [
        { aggregateType: 'payment', aggregateId: `${run}-${i % 4}`, eventType: 'Step', payload: { i } },
      ]);
    await eventually(async () => (await pending()) === 20, 'the pending gauge at 20');
    const whileDown = await scrape(base);
    expect(
      whileDown.value('dtx_relay_oldest_pending_age_seconds', { database: scratch.name }),
    ).toBeGreaterThan(0);
    expect(whileDown.value('dtx_relay_dead_rows', { database: scratch.name })).toBe(0);
    expect(await sent()).toBe(sentBefore);

    await stackUp({ config, components: ['kafka'], out: silentReporter });
    const startedAt = Date.now();
    await eventually(async () => (await readyStatus(base))?.status === 200, '/readyz 200 again', 120_000);
    expect((Date.now() - startedAt) / 1000).toBeLessThan(60);
    await eventually(async () => (await pending()) === 0, 'the backlog drained', 120_000);
    expect((await sent()) - sentBefore).toBe(20);
    const after = await scrape(base);
    expect(after.value('dtx_relay_oldest_pending_age_seconds', { database: scratch.name })).toBe(0);
    expect(after.value('dtx_relay_failed_total', { database: scratch.name, reason: 'rejected' })).toBe(0);
  }, 400_000);

  test('a second relay on the same ops port stops at start, naming the port and DTX_RELAY_OPS_PORT', async () => {
    const logFile = path.join(dataDir, 'second-relay.log');
    const second = startRelayProcess({ ...env, DTX_LOG_FILE: logFile });
    expect(await second.exited).toBe(1);
    const fatal = fs
      .readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((line) => line.includes('"level":60'))
      .map((line) => JSON.parse(line) as { msg: string; err: { message: string; type: string } });
    expect(fatal).toEqual([
      expect.objectContaining({
        msg: 'relay failed to start',
        err: expect.objectContaining({
          type: 'OpsPortInUseError',
          message:
            `the relay ops port 127.0.0.1:${opsPort} (metrics, health) is already in use: stop what holds it, or ` +
            'move it with DTX_RELAY_OPS_PORT=<another port> (0: no ops server)',
        }) as unknown,
      }),
    ]);
    // the first relay is untouched
    expect((await readyStatus(base))?.status).toBe(200);
  }, 120_000);
});
