/**
 * Kafka stopped (through the stack manager) while events keep being committed: rows accumulate as pending (none
 * dies), Kafka comes back, everything is delivered, none lost, per-aggregate order kept.
 *
 * The test runs its OWN Kafka through the stack library (stack/) on free ports with a throwaway data dir, so
 * stopping it never disturbs the shared broker other tests and demos use.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Kafka } from 'kafkajs';
import { loadConfig, type Config } from '../../../common/config';
import { createKafka } from '../../../common/kafka';
import { ensureTopics } from '../../../outbox/topics';
import { createScratchDatabase, type ScratchDatabase } from '../../../tools/bench/scratch-db';
import { silentReporter, stackDown, stackStatus, stackUp } from '../../../stack';
import { isPortFree } from '../../../stack/ports';
import { getOutboxLag } from '../../../outbox/lag';
import { openOutboxDatabases, closeOutboxDatabases } from '../../../outbox/databases';
import { OutboxRelay } from '../../../workers/relay/relay';
import { captureMessages, eventIdsByAggregate, firstOccurrences } from './support/capture';
import { runCleanups } from './support/cleanup';
import { commitEvents, eventually, expectedOrder, runId, sleep, storedRows } from './support/events';

/** Two consecutive free ports (broker, controller). */
async function freePortPair(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    if ((await isPortFree('127.0.0.1', port)) && (await isPortFree('127.0.0.1', port + 1))) return port;
  }
  throw new Error('no free port pair for the private Kafka');
}

describe('Kafka outage', () => {
  let scratch: ScratchDatabase;
  let dataDir: string;
  let config: Config;
  let kafka: Kafka;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    scratch = await createScratchDatabase('relaytest');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtx-outage-'));
    const port = await freePortPair();
    config = loadConfig({
      ...process.env,
      KAFKA_BROKERS: `127.0.0.1:${port}`,
      DTX_DATA: dataDir,
      KAFKA_CLIENT_ID: 'dtx-outage-test',
    });
    await stackUp({ config, components: ['kafka'], out: silentReporter });
    kafka = createKafka({ config, clientSuffix: 'test' });
    await ensureTopics(kafka, { config });
  }, 600_000);

  afterAll(async () => {
    await runCleanups(cleanups);
    await stackDown({ config, components: ['kafka'], out: silentReporter }).catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
    await scratch.drop();
  }, 120_000);

  test('rows accumulate while Kafka is down and are all delivered when it returns', async () => {
    const run = runId('outage');
    const capture = await captureMessages(kafka, (id) => id.startsWith(run));
    cleanups.push(() => capture.stop());
    const relay = OutboxRelay.start({
      databaseUrls: [scratch.url],
      kafka,
      config,
      createTopics: false,
      settings: { pollIntervalMs: 300, maxAttempts: 3, lagLogIntervalMs: 0 },
    });
    cleanups.push(() => relay.stop());
    const databases = openOutboxDatabases([scratch.url]);
    cleanups.push(() => closeOutboxDatabases(databases));

    // A steady writer, like orders being placed, for the whole test.
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        const n = written++;
        await commitEvents(scratch.db, [
          { aggregateType: 'order', aggregateId: `${run}-${n % 20}`, eventType: 'Step', payload: { n } },
          { aggregateType: 'payment', aggregateId: `${run}-p${n % 7}`, eventType: 'Step', payload: { n } },
        ]);
        await sleep(20);
      }
    })();
    cleanups.push(async () => {
      writing = false;
      await writer;
    });

    await capture.waitFor((m) => m.length >= 50, 'deliveries before the outage');

    await stackDown({ config, components: ['kafka'], out: silentReporter });
    const [kafkaStatus] = await stackStatus({ config, components: ['kafka'], out: silentReporter });
    expect(kafkaStatus.answering).toBe(false);
    const writtenAtStop = written;
    // Rows pile up while Kafka is away (two rows per write); none is blamed for it.
    await eventually(() => written - writtenAtStop >= 60, 'writes during the outage', 120_000);
    const [downLag] = await getOutboxLag(databases);
    expect(downLag.pendingCount).toBeGreaterThanOrEqual(100);
    expect(downLag).toMatchObject({ deadCount: 0 });
    expect(downLag.oldestPendingAgeMs).toBeGreaterThan(0);

    await stackUp({ config, components: ['kafka'], out: silentReporter });
    writing = false;
    await writer;

    const rows = await storedRows(scratch.db, run);
    await capture.waitFor(
      (m) => new Set(m.map((x) => x.eventId)).size >= rows.length,
      `all ${rows.length} events after the outage`,
      180_000,
    );
    await eventually(
      async () => (await storedRows(scratch.db, run)).every((r) => r.status === 'sent'),
      'every row marked sent',
    );
    expect(
      firstOccurrences(capture.messages)
        .map((m) => m.eventId)
        .sort(),
    ).toEqual(rows.map((r) => r.id).sort());
    expect(eventIdsByAggregate(capture.messages)).toEqual(expectedOrder(rows));
    expect((await storedRows(scratch.db, run)).every((r) => r.attempts === 0)).toBe(true);
  }, 600_000);
});
