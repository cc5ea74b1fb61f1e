/**
 * Three relays drain one outbox at once while writers keep committing interleaved transactions: every event arrives
 * and, per aggregate, Kafka's order (first occurrences) is the (txid, seq) order of the rows.
 */
import type { Kafka } from 'kafkajs';
import { createKafka } from '../../../common/kafka';
import { ensureTopics } from '../../../outbox/topics';
import { createScratchDatabase, type ScratchDatabase } from '../../../tools/bench/scratch-db';
import { OutboxRelay } from '../../../workers/relay/relay';
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
    // Writers commit concurrently, so transactions take txids in one order and commit in another.
    let next = 0;
    const aggregateTypes = ['order', 'inventory', 'coupon', 'payment'];
    async function writer(until: number): Promise<void> {
      while (next < until) {
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
    // A backlog first (several rows per aggregate, so batches cut through aggregates), then the relays start
    // while the writers go on.
    const backlog = Math.floor(TRANSACTIONS / 2);
    await Promise.all(Array.from({ length: WRITERS }, () => writer(backlog)));
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

    // The invariant behind per-aggregate order, sampled all along: a live claim always starts at its aggregate's
    // first unsent row and has no hole (no earlier unsent row left unclaimed or held by another relay).
    let sampling = true;
    let samples = 0;
    const violations: string[] = [];
    const sampler = (async () => {
      while (sampling) {
        const result = await scratch.db.raw<{ rows: { aggregate_id: string; claimed_by: string }[] }>(
          `select r.aggregate_id, r.claimed_by from outbox r
           where r.status = 'pending' and r.claimed_until > now() and r.aggregate_id like ?
             and exists (
               select 1 from outbox e
               where e.aggregate_type = r.aggregate_type and e.aggregate_id = r.aggregate_id and e.status <> 'sent'
                 and (e.txid, e.seq) < (r.txid, r.seq)
                 and (e.claimed_by is distinct from r.claimed_by or e.claimed_until is null or e.claimed_until <= now()))`,
          [`${run}-%`],
        );
        samples += 1;
        violations.push(
          ...result.rows.map((r) => `${r.aggregate_id} claimed by ${r.claimed_by} behind someone else's row`),
        );
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    await Promise.all(Array.from({ length: WRITERS }, () => writer(TRANSACTIONS)));

    const rows = await storedRows(scratch.db, run);
    expect(rows.length).toBeGreaterThan(3000);
    await capture.waitFor(
      (m) => new Set(m.map((x) => x.eventId)).size >= rows.length,
      `${rows.length} events`,
      120_000,
    );
    await eventually(
      async () => (await storedRows(scratch.db, run)).every((r) => r.status === 'sent'),
      'every row marked sent',
    );
    sampling = false;
    await sampler;
    expect(samples).toBeGreaterThan(10);
    expect(violations.slice(0, 5)).toEqual([]);

    const delivered = firstOccurrences(capture.messages);
    expect(delivered.map((m) => m.eventId).sort()).toEqual(rows.map((r) => r.id).sort());
    const expected = expectedOrder(rows);
    expect(expected.size).toBe(AGGREGATES);
    const actual = eventIdsByAggregate(capture.messages);
    for (const [aggregate, ids] of expected)
      expect({ aggregate, ids: actual.get(aggregate) }).toEqual({ aggregate, ids });
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
