/**
 * Several relays drain one outbox at once while writers keep committing overlapping transactions the way the
 * services do (txid taken first, aggregate rows locked and versioned after): every event arrives and, per aggregate,
 * Kafka's order (first occurrences) is the aggregate's version order, i.e. commit order, even where txid order is
 * not. Then the same with the real inventory service: overlapping Reserves, and per SKU the stock snapshots in Kafka
 * follow the database's versions to its final state.
 */
import type { Kafka } from 'kafkajs';
import type { Knex } from 'knex';
import { createKafka } from '../../../common/kafka';
import { ensureTopics } from '../../../outbox/topics';
import { appendEvent } from '../../../outbox/writer';
import { call } from '../../../services/rpc/clients';
import { createScratchDatabase, type ScratchDatabase } from '../../../tools/bench/scratch-db';
import { OutboxRelay } from '../../../workers/relay/relay';
import { startHarness } from '../services/harness';
import { captureMessages, eventIdsByAggregate, firstOccurrences, type Capture } from './support/capture';
import { runCleanups } from './support/cleanup';
import { eventually, expectedOrder, runId, sleep, storedRows, type StoredRow } from './support/events';

const AGGREGATES = 300;
const TRANSACTIONS = 1500;
const WRITERS = 6;

describe('several relays at once', () => {
  let scratch: ScratchDatabase;
  let kafka: Kafka;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    scratch = await createScratchDatabase('relaytest', { poolMax: WRITERS + 2 });
    // the writers' aggregate rows: a version bumped under the row lock, as stock/wallets/coupons/orders have
    await scratch.db.raw(`create table aggregates (
      aggregate_type text not null, aggregate_id text not null, version bigint not null default 1,
      primary key (aggregate_type, aggregate_id))`);
    kafka = createKafka({ clientSuffix: 'test' });
    await ensureTopics(kafka);
  });

  afterAll(async () => {
    await runCleanups(cleanups);
    await scratch.drop();
  });

  function startRelays(run: string, url: string, names: string[]): OutboxRelay[] {
    return names.map((name) => {
      const relay = OutboxRelay.start({
        databaseUrls: [url],
        kafka,
        createTopics: false,
        relayId: `${run}-relay-${name}`,
        // small batches so the relays interleave on the same aggregates many times
        settings: { batchSize: 50, pollIntervalMs: 200, lagLogIntervalMs: 0 },
      });
      cleanups.push(() => relay.stop());
      return relay;
    });
  }

  async function capture(run: string): Promise<Capture> {
    const started = await captureMessages(kafka, (id) => id.startsWith(run));
    cleanups.push(() => started.stop());
    return started;
  }

  /** Aggregates whose (txid, seq) order differs from their version order: the ordering trap happened there. */
  function trapped(rows: readonly StoredRow[]): string[] {
    const byTxid = [...rows].sort((x, y) => {
      const d = BigInt(x.txid) - BigInt(y.txid);
      return d !== 0n ? (d < 0n ? -1 : 1) : Number(BigInt(x.seq) - BigInt(y.seq));
    });
    const txidOrder = expectedOrder(byTxid);
    return [...expectedOrder(rows)]
      .filter(([aggregate, ids]) => ids.join() !== txidOrder.get(aggregate)?.join())
      .map(([aggregate]) => aggregate);
  }

  /** A transaction like a service call: txid first (the barrier insert), then the aggregate rows, sorted, locked. */
  async function writeVersioned(
    db: Knex,
    events: { aggregateType: string; aggregateId: string; payload: Record<string, unknown> }[],
  ): Promise<void> {
    await db.transaction(async (trx) => {
      await trx.raw('select pg_current_xact_id()');
      // let others take later txids and commit before this one gets its locks
      await sleep(Math.floor(Math.random() * 4));
      const sorted = [...events].sort((x, y) =>
        `${x.aggregateType}/${x.aggregateId}` < `${y.aggregateType}/${y.aggregateId}` ? -1 : 1,
      );
      for (const event of sorted) {
        const bumped = await trx.raw<{ rows: { version: string }[] }>(
          `insert into aggregates (aggregate_type, aggregate_id) values (?, ?)
           on conflict (aggregate_type, aggregate_id) do update set version = aggregates.version + 1
           returning version`,
          [event.aggregateType, event.aggregateId],
        );
        await appendEvent(trx, {
          ...event,
          eventType: 'Step',
          aggregateVersion: Number(bumped.rows[0].version),
        });
      }
    });
  }

  test('keep per-aggregate commit order over thousands of events for hundreds of aggregates', async () => {
    const run = runId('conc');
    const messages = await capture(run);
    let next = 0;
    const aggregateTypes = ['order', 'inventory', 'coupon', 'payment'];
    async function writer(until: number): Promise<void> {
      while (next < until) {
        const n = next++;
        const size = 1 + (n % 4);
        // every aggregate once in turn (all get rows), the others at random, so concurrent transactions overlap
        const aggregates = new Set([
          n % AGGREGATES,
          ...Array.from({ length: size - 1 }, () => Math.floor(Math.random() * AGGREGATES)),
        ]);
        await writeVersioned(
          scratch.db,
          [...aggregates].map((aggregate) => ({
            aggregateType: aggregateTypes[aggregate % aggregateTypes.length],
            aggregateId: `${run}-${aggregate}`,
            payload: { n, aggregate },
          })),
        );
      }
    }
    // A backlog first (several rows per aggregate, so batches cut through aggregates), then the relays start
    // while the writers go on.
    const backlog = Math.floor(TRANSACTIONS / 2);
    await Promise.all(Array.from({ length: WRITERS }, () => writer(backlog)));
    const relays = startRelays(run, scratch.url, ['a', 'b', 'c']);

    // The invariant behind per-aggregate order, sampled all along: a live claim always sits on its aggregate's
    // first unsent row (in delivery order); no earlier unsent row exists.
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
                 and (e.aggregate_version, e.txid, e.seq) < (r.aggregate_version, r.txid, r.seq))`,
          [`${run}-%`],
        );
        samples += 1;
        violations.push(
          ...result.rows.map((r) => `${r.aggregate_id} claimed by ${r.claimed_by} behind an unsent row`),
        );
        await sleep(10);
      }
    })();
    await Promise.all(Array.from({ length: WRITERS }, () => writer(TRANSACTIONS)));

    const rows = await storedRows(scratch.db, run);
    expect(rows.length).toBeGreaterThan(3000);
    await messages.waitFor(
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

    // the trap was armed: for many aggregates, txid order is not commit (version) order
    expect(trapped(rows).length).toBeGreaterThan(0);
    const delivered = firstOccurrences(messages.messages);
    expect(delivered.map((m) => m.eventId).sort()).toEqual(rows.map((r) => r.id).sort());
    const expected = expectedOrder(rows);
    expect(expected.size).toBe(AGGREGATES);
    const actual = eventIdsByAggregate(messages.messages);
    for (const [aggregate, ids] of expected)
      expect({ aggregate, ids: actual.get(aggregate) }).toEqual({ aggregate, ids });
    // the position travels as a header, increasing per key
    const versionOf = new Map(rows.map((r) => [r.id, r.aggregate_version]));
    for (const m of delivered) expect(m.headers['aggregate-version']).toBe(versionOf.get(m.eventId));
    // every relay took part
    for (const relay of relays) expect(relay.delivered).toBeGreaterThan(0);
    // one key, one partition
    const partitionOf = new Map<string, number>();
    for (const m of messages.messages) {
      expect(partitionOf.get(m.key) ?? m.partition).toBe(m.partition);
      partitionOf.set(m.key, m.partition);
    }
  });

  test('overlapping Reserves through the inventory service: per SKU, Kafka replays the stock in version order', async () => {
    const inventory = await createScratchDatabase('relayinv', { outbox: false });
    cleanups.push(() => inventory.drop());
    const h = await startHarness(['inventory'], { dbUrl: inventory.url });
    cleanups.push(() => h.stop());
    const run = runId('inv');
    const skus = Array.from({ length: 12 }, (_, i) => `${run}-sku-${String(i).padStart(2, '0')}`);
    for (const sku of skus) {
      await call(h.clients.inventory, 'upsertProduct', { sku, name: sku, unitPrice: 10 });
      await call(h.clients.inventory, 'setStock', { sku, available: 100_000 });
    }
    const messages = await capture(run);
    startRelays(run, inventory.url, ['a', 'b', 'c']);

    // 8 clients, overlapping SKU sets (the service sorts and locks them), every third reservation released again
    let next = 0;
    async function client(): Promise<void> {
      while (next < 240) {
        const n = next++;
        const picked = new Set([skus[n % skus.length], skus[(n * 5 + 3) % skus.length], skus[(n * 7) % 5]]);
        const branch = { txId: `order-${run}-${n}`, branchId: 'inventory' };
        await call(h.clients.inventory, 'reserve', {
          branch,
          orderId: `${run}-${n}`,
          items: [...picked].map((sku) => ({ sku, quantity: 1 + (n % 3) })),
        });
        if (n % 3 === 0) await call(h.clients.inventory, 'release', { branch });
      }
    }
    await Promise.all(Array.from({ length: 8 }, () => client()));

    const db = h.db('inventory');
    const rows = await db.raw<{
      rows: { id: string; aggregate_id: string; aggregate_version: string; available: number }[];
    }>(
      `select id, aggregate_id, aggregate_version::text as aggregate_version,
              (payload->>'available')::int as available
       from outbox o where o.aggregate_id like ? order by o.aggregate_id, o.aggregate_version`, // qualified: not the text alias
      [`${run}-%`],
    );
    await messages.waitFor(
      (m) => new Set(m.map((x) => x.eventId)).size >= rows.rows.length,
      `${rows.rows.length} events`,
      120_000,
    );
    const delivered = firstOccurrences(messages.messages);
    for (const sku of skus) {
      const inDatabase = rows.rows.filter((r) => r.aggregate_id === sku);
      const inKafka = delivered.filter((m) => m.aggregateId === sku);
      // per key: Kafka order = version order, and the snapshots replay the stock's history
      expect({ sku, ids: inKafka.map((m) => m.eventId) }).toEqual({ sku, ids: inDatabase.map((r) => r.id) });
      const versions = inKafka.map((m) => Number(m.headers['aggregate-version']));
      expect(versions).toEqual([...versions].sort((x, y) => x - y));
      // a consumer keeping the latest state per key ends at the database's state
      const stock = await db('stock').where({ sku }).first<{ available: string; version: string }>();
      const last = inKafka[inKafka.length - 1];
      expect([last?.value.available, last?.headers['aggregate-version']]).toEqual([
        Number(stock?.available),
        String(stock?.version),
      ]);
    }
  });
});
