/**
 * Three relays drain one outbox at once while writers keep committing interleaved transactions: every event arrives
 * and, per aggregate, Kafka's order (first occurrences) is the (txid, seq) order of the rows.
 */
import type { Kafka } from 'kafkajs';
import { createKafka, ensureTopics } from '../../../common/kafka';
import { createScratchDatabase, type ScratchDatabase } from '../../../scripts/bench/scratch-db';
import { OutboxRelay } from '../../../workers/outbox/relay';
import { captureMessages, eventIdsByAggregate, firstOccurrences } from './support/capture';
import { runCleanups } from './support/cleanup';
import { commitEvents, eventually, expectedOrder, runId, storedRows } from './support/events';

const AGGREGATES = 300;
const TRANSACTIONS = 1500;
const WRITERS = 6;

describe('three relays at once', () => {
  let scratch: ScratchDatabase;
  let kafka: Kafka;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    scratch = await createScratchDatabase('relaytest', { poolMax: WRITERS + 2 });
    kafka = createKafka({ clientSuffix: 'test' });
    await ensureTopics(kafka);
  });

  afterAll(async () => {
    await runCleanups(cleanups);
    await scratch.drop();
  });

  test('keep per-aggregate order over thousands of events for hundreds of aggregates', async () => {
    const run = runId('conc');
    const capture = await captureMessages(kafka, (id) => id.startsWith(run));
    cleanups.push(() => capture.stop());
    const relays = ['a', 'b', 'c'].map((name) => {
      const relay = OutboxRelay.start({
        databaseUrls: [scratch.url],
        kafka,
        createTopics: false,
        relayId: `${run}-relay-${name}`,
        // small batches so the relays interleave on the same aggregates many times
        settings: { batchSize: 50, pollIntervalMs: 200, lagLogIntervalMs: 0 },
      });
      cleanups.push(() => relay.stop());
      return relay;
    });

    // Writers commit concurrently, so transactions take txids in one order and commit in another.
    let next = 0;
    const aggregateTypes = ['order', 'inventory', 'coupon', 'payment'];
    async function writer(): Promise<void> {
      while (next < TRANSACTIONS) {
        const n = next++;
        const size = 1 + (n % 4);
        await commitEvents(
          scratch.db,
          Array.from({ length: size }, (_, k) => {
            const aggregate = (n * 7 + k * 13) % AGGREGATES;
            return {
              aggregateType: aggregateTypes[aggregate % aggregateTypes.length],
              aggregateId: `${run}-${aggregate}`,
              eventType: 'Step',
              payload: { n, k },
            };
          }),
        );
      }
    }
    await Promise.all(Array.from({ length: WRITERS }, writer));

    const rows = await storedRows(scratch.db, run);
    expect(rows.length).toBeGreaterThan(3000);
    await capture.waitFor((m) => new Set(m.map((x) => x.eventId)).size >= rows.length, `${rows.length} events`, 120_000);
    await eventually(async () => (await storedRows(scratch.db, run)).every((r) => r.status === 'sent'), 'every row marked sent');

    const delivered = firstOccurrences(capture.messages);
    expect(delivered.map((m) => m.eventId).sort()).toEqual(rows.map((r) => r.id).sort());
    const expected = expectedOrder(rows);
    expect(expected.size).toBe(AGGREGATES);
    const actual = eventIdsByAggregate(capture.messages);
    for (const [aggregate, ids] of expected) expect({ aggregate, ids: actual.get(aggregate) }).toEqual({ aggregate, ids });
    // every relay took part
    for (const relay of relays) expect(relay.delivered).toBeGreaterThan(0);
    // one key, one partition
    const partitionOf = new Map<string, number>();
    for (const m of capture.messages) {
      expect(partitionOf.get(m.key) ?? m.partition).toBe(m.partition);
      partitionOf.set(m.key, m.partition);
    }
  });
});
