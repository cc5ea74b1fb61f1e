/**
 * PostgreSQL restarted (through the stack manager) under a running relay: the drain loop retries, the LISTEN
 * connection comes back (an event after the restart arrives well before the poll interval), nothing is lost.
 *
 * The test runs its OWN PostgreSQL through the stack library on a free port with a throwaway data dir, so the
 * shared server is never restarted.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import knex, { type Knex } from 'knex';
import type { Kafka } from 'kafkajs';
import { loadConfig, type Config } from '../../../common/config';
import { createKafka } from '../../../common/kafka';
import { ensureTopics } from '../../../outbox/topics';
import { addOutboxAggregateOrder } from '../../../migrations/lib/aggregate-order';
import { createOutboxTable } from '../../../migrations/lib/tables';
import { silentReporter, stackDown, stackUp } from '../../../stack';
import { IDLE_IN_TRANSACTION_TIMEOUT } from '../../../stack/postgres';
import { isPortFree } from '../../../stack/ports';
import { OutboxRelay } from '../../../workers/relay/relay';
import { captureMessages, eventIdsByAggregate } from './support/capture';
import { runCleanups } from './support/cleanup';
import { commitEvents, eventually, expectedOrder, runId, sleep, storedRows } from './support/events';

async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    if (await isPortFree('127.0.0.1', port)) return port;
  }
  throw new Error('no free port for the private PostgreSQL');
}

describe('database restart', () => {
  let dataDir: string;
  let config: Config;
  let kafka: Kafka;
  let url: string;
  let db: Knex;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtx-pgrestart-'));
    // the cluster runs as an unprivileged OS user, which must be able to reach its data dir
    fs.chmodSync(dataDir, 0o755);
    const port = await freePort();
    config = loadConfig({
      ...process.env,
      DTX_PG_URL: `postgres://postgres@127.0.0.1:${port}/postgres`,
      DTX_DATA: dataDir,
    });
    await stackUp({ config, components: ['postgres'], out: silentReporter });
    url = config.databases.order;
    // quiet: the restart breaks this pool's idle connections on purpose
    const quiet = () => undefined;
    db = knex({
      client: 'pg',
      connection: url,
      pool: { min: 0, max: 4 },
      log: { warn: quiet, error: quiet, deprecate: quiet, debug: quiet },
    });
    await createOutboxTable(db);
    await addOutboxAggregateOrder(db);
    kafka = createKafka({ clientSuffix: 'test' });
    await ensureTopics(kafka);
  }, 300_000);

  afterAll(async () => {
    await runCleanups(cleanups);
    await db.destroy();
    await stackDown({ config, components: ['postgres'], out: silentReporter }).catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 120_000);

  test('the relay resumes, its listener reconnects, nothing is lost', async () => {
    const run = runId('pgrestart');
    const capture = await captureMessages(kafka, (id) => id.startsWith(run));
    cleanups.push(() => capture.stop());
    const pollIntervalMs = 10_000;
    const relay = OutboxRelay.start({
      databaseUrls: [url],
      kafka,
      createTopics: false,
      settings: { pollIntervalMs, lagLogIntervalMs: 0 },
    });
    cleanups.push(() => relay.stop());
    await eventually(() => relay.listening, 'the relay listening');

    const before: string[] = [];
    for (let i = 0; i < 20; i++)
      before.push(
        ...(await commitEvents(db, [
          { aggregateType: 'order', aggregateId: `${run}-${i % 4}`, eventType: 'Before', payload: { i } },
        ])),
      );
    await capture.waitFor(
      (m) => before.every((id) => m.some((x) => x.eventId === id)),
      'events before the restart',
    );

    await stackDown({ config, components: ['postgres'], out: silentReporter });
    await eventually(() => !relay.listening, 'the listener to notice the restart');
    await sleep(1000);
    await stackUp({ config, components: ['postgres'], out: silentReporter });
    await eventually(() => relay.listening, 'the listener to reconnect', 60_000);
    // Let the loop finish its post-restart rounds and go idle for a full poll interval.
    await sleep(1500);

    // Woken by NOTIFY on the new connection, claimed and marked through a pool whose old connections the restart
    // killed: well before the poll interval.
    const committedAt = Date.now();
    const [woken] = await commitEvents(db, [
      { aggregateType: 'order', aggregateId: `${run}-0`, eventType: 'After', payload: {} },
    ]);
    await capture.waitFor(
      (m) => m.some((x) => x.eventId === woken),
      'the event after the restart',
      pollIntervalMs * 3,
    );
    const latency = (capture.messages.find((m) => m.eventId === woken)?.receivedAt ?? Infinity) - committedAt;
    expect(latency).toBeLessThan(pollIntervalMs / 2);

    const rows = await storedRows(db, run);
    await eventually(
      async () => (await storedRows(db, run)).every((r) => r.status === 'sent'),
      'every row sent',
    );
    expect(eventIdsByAggregate(capture.messages)).toEqual(expectedOrder(rows));
  }, 300_000);

  test('the stack starts its cluster with idle_in_transaction_session_timeout (an idle transaction stalls relays)', async () => {
    const result = await db.raw<{ rows: { idle_in_transaction_session_timeout: string }[] }>(
      'show idle_in_transaction_session_timeout',
    );
    expect(result.rows[0].idle_in_transaction_session_timeout).toBe(IDLE_IN_TRANSACTION_TIMEOUT);
  });
});
