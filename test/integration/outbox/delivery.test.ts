/**
 * Relay delivery against real PostgreSQL and Kafka: committed rows arrive with the key/topic/headers of docs/design.md,
 * rolled-back rows never do, the ordering trap (txid order is not commit order; the aggregate version is),
 * LISTEN/NOTIFY wake-up and the polling fallback.
 */
import type { Kafka } from 'kafkajs';
import { loadConfig } from '../../../common/config';
import { createKafka } from '../../../common/kafka';
import { ensureTopics, topicFor } from '../../../outbox/topics';
import { createScratchDatabase, type ScratchDatabase } from '../../../tools/bench/scratch-db';
import { OutboxRelay } from '../../../workers/relay/relay';
import { closeOutboxDatabases, openOutboxDatabases } from '../../../outbox/databases';
import { describeHorizonHolder, getOutboxLag } from '../../../outbox/lag';
import { call } from '../../../services/rpc/clients';
import { startHarness } from '../services/harness';
import { captureMessages, eventIdsByAggregate, firstOccurrences, type Capture } from './support/capture';
import { runCleanups } from './support/cleanup';
import {
  commitEvents,
  eventually,
  expectedOrder,
  rolledBackEvents,
  runId,
  sleep,
  storedRows,
} from './support/events';

describe('outbox relay delivery', () => {
  let scratch: ScratchDatabase;
  let kafka: Kafka;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    scratch = await createScratchDatabase('relaytest');
    kafka = createKafka({ clientSuffix: 'test' });
    await ensureTopics(kafka);
  });

  afterEach(async () => {
    await runCleanups(cleanups);
  });

  afterAll(async () => {
    await scratch.drop();
  });

  async function capture(prefix: string): Promise<Capture> {
    const started = await captureMessages(kafka, (id) => id.startsWith(prefix));
    cleanups.push(() => started.stop());
    return started;
  }

  function startRelay(settings: Parameters<typeof OutboxRelay.start>[0] = {}): OutboxRelay {
    const relay = OutboxRelay.start({ databaseUrls: [scratch.url], kafka, createTopics: false, ...settings });
    cleanups.push(() => relay.stop());
    return relay;
  }

  test('every committed row reaches Kafka with key, topic and headers; rolled-back rows never do', async () => {
    const run = runId('deliver');
    const messages = await capture(run);
    startRelay({ settings: { pollIntervalMs: 500, lagLogIntervalMs: 0 } });

    const committed: string[] = [];
    const rolledBack: string[] = [];
    for (let i = 0; i < 40; i++) {
      const aggregateType = i % 2 === 0 ? 'order' : 'payment';
      const events = Array.from({ length: 1 + (i % 3) }, (_, k) => ({
        aggregateType,
        aggregateId: `${run}-${i % 7}`,
        eventType: `Event${k}`,
        payload: { orderId: `${run}-${i % 7}`, i, k },
        headers: { 'tx-id': `order-${run}-${i}`, traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` },
      }));
      if (i % 5 === 4) rolledBack.push(...(await rolledBackEvents(scratch.db, events)));
      else committed.push(...(await commitEvents(scratch.db, events)));
    }
    // A last commit on every aggregate: once it has arrived, anything earlier in (txid, seq) order has too.
    for (let a = 0; a < 7; a++) {
      committed.push(
        ...(await commitEvents(scratch.db, [
          { aggregateType: 'order', aggregateId: `${run}-${a}`, eventType: 'Last', payload: {} },
        ])),
      );
    }

    await messages.waitFor(
      (m) => committed.every((id) => m.some((x) => x.eventId === id)),
      'every committed event',
    );
    const seen = new Set(messages.messages.map((m) => m.eventId));
    expect(rolledBack.length).toBeGreaterThan(0);
    expect(rolledBack.filter((id) => seen.has(id))).toEqual([]);
    expect([...seen].sort()).toEqual([...committed].sort());

    const rows = await storedRows(scratch.db, run);
    expect(rows.map((r) => r.id).sort()).toEqual([...committed].sort());
    await eventually(
      async () => (await storedRows(scratch.db, run)).every((r) => r.status === 'sent'),
      'rows marked sent',
    );

    for (const m of messages.messages) {
      expect(m.key).toBe(m.aggregateId);
      expect(m.topic).toBe(topicFor(m.aggregateType, loadConfig().kafka.namePrefix));
      expect(m.headers['event-type']).toBe(m.eventType);
    }
    const sample = messages.messages.find((m) => m.eventType === 'Event0');
    expect(sample?.headers).toMatchObject({
      'tx-id': expect.stringMatching(/^order-/),
      traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`,
      'aggregate-type': expect.any(String),
      'aggregate-id': expect.any(String),
      'event-id': expect.any(String),
    });
    // per aggregate, Kafka order = commit order
    expect(eventIdsByAggregate(messages.messages)).toEqual(expectedOrder(rows));
  });

  test('ordering trap: per key, Kafka order is commit order, not txid order (Reserve through gRPC)', async () => {
    // The inventory service on its own database (its real migrations), so only this test's relay delivers its rows.
    const inventory = await createScratchDatabase('relaytrap', { outbox: false });
    cleanups.push(() => inventory.drop());
    const h = await startHarness(['inventory'], { dbUrl: inventory.url });
    cleanups.push(() => h.stop());
    const run = runId('trap');
    const [a, b] = [`${run}-A`, `${run}-B`];
    for (const sku of [a, b]) {
      await call(h.clients.inventory, 'upsertProduct', { sku, name: sku, unitPrice: 10 });
      await call(h.clients.inventory, 'setStock', { sku, available: 10 });
    }
    const messages = await capture(run);
    const relay = OutboxRelay.manual({ databaseUrls: [inventory.url], kafka, createTopics: false });
    cleanups.push(() => relay.stop());
    const reserve = (name: string, skus: string[]) =>
      call(h.clients.inventory, 'reserve', {
        branch: { txId: `order-${run}-${name}`, branchId: 'inventory' },
        orderId: `${run}-${name}`,
        items: skus.map((sku) => ({ sku, quantity: 1 })),
      });

    // psql-like: hold A's row lock. R1 [A, B] takes its txid (barrier insert), then waits for A.
    const locker = await h.db('inventory').transaction();
    let r1: Promise<unknown> | undefined;
    try {
      await locker.raw('select sku from stock where sku = ? for update', [a]);
      r1 = reserve('r1', [a, b]);
      await eventually(async () => {
        const waiting = await h.db('inventory').raw<{ rows: { n: string }[] }>(
          `select count(*) as n from pg_stat_activity
             where datname = current_database() and wait_event_type = 'Lock' and query like 'update stock%'`,
        );
        return Number(waiting.rows[0].n) === 1;
      }, 'R1 waiting for the lock on A');
      // R2 [B] takes a later txid and commits first.
      await reserve('r2', [b]);
    } finally {
      await locker.commit();
    }
    await r1;

    const rows = await h
      .db('inventory')
      .raw<{ rows: { id: string; txid: string; tx: string; available: number }[] }>(
        `select id, txid::text as txid, headers->>'tx-id' as tx, (payload->>'available')::int as available
         from outbox where aggregate_id = ? and event_type = 'StockReserved'`,
        [b],
      );
    const rowOf = (name: string) => rows.rows.find((r) => r.tx === `order-${run}-${name}`);
    const [first, second] = [rowOf('r2'), rowOf('r1')];
    // the trap is armed: R1 took the smaller txid but committed last (its snapshot of B is the newer one)
    expect(BigInt(rowOf('r1')?.txid ?? 0) < BigInt(rowOf('r2')?.txid ?? 0)).toBe(true);
    expect([first?.available, second?.available]).toEqual([9, 8]);
    const stockB = await h
      .db('inventory')('stock')
      .where({ sku: b })
      .first<{ available: string }>('available');
    expect(Number(stockB?.available)).toBe(8);

    await relay.drainOnce();
    await messages.waitFor(
      (m) => m.filter((x) => x.aggregateId === b && x.eventType === 'StockReserved').length >= 2,
      'both reservations of B',
    );
    const onB = firstOccurrences(messages.messages).filter(
      (m) => m.aggregateId === b && m.eventType === 'StockReserved',
    );
    // Kafka key B: R2's event, then R1's, as they committed; the last snapshot is the database's
    expect(onB.map((m) => m.eventId)).toEqual([first?.id, second?.id]);
    expect(onB.map((m) => m.value.available)).toEqual([9, 8]);
    const versions = onB.map((m) => Number(m.headers['aggregate-version']));
    expect(versions[0]).toBeLessThan(versions[1]);
    // every event of A and B reached Kafka in its aggregate's version order
    for (const sku of [a, b]) {
      const seen = firstOccurrences(messages.messages)
        .filter((m) => m.aggregateId === sku)
        .map((m) => Number(m.headers['aggregate-version']));
      expect(seen).toEqual([...seen].sort((x, y) => x - y));
    }
  });

  test('an open transaction anywhere holds the horizon: the outbox status names it (pid, state, age)', async () => {
    const run = runId('horizon');
    const databases = openOutboxDatabases([scratch.url]);
    cleanups.push(() => closeOutboxDatabases(databases));
    // an idle transaction holding a transaction id (in any database of the cluster: ids are cluster-wide)
    const idle = await scratch.db.transaction();
    try {
      const { rows } = await idle.raw<{ rows: { pid: number }[] }>(
        'select pg_backend_pid() as pid, pg_current_xact_id()',
      );
      const pid = rows[0].pid;
      await commitEvents(scratch.db, [
        { aggregateType: 'order', aggregateId: `${run}-a`, eventType: 'Held', payload: {} },
      ]);
      // (other sessions' older transactions may hold it a moment longer; ours stays)
      await eventually(
        async () => (await getOutboxLag(databases))[0].waitingOn?.pid === pid,
        'the status to name the idle transaction',
      );
      const [lag] = await getOutboxLag(databases);
      expect(lag.waitingOn).toMatchObject({ pid, state: 'idle in transaction', database: scratch.name });
      expect(describeHorizonHolder(lag.waitingOn!)).toMatch(
        new RegExp(
          `^transaction \\d+ \\(pid ${pid}, idle in transaction for \\d+\\.\\d s, database ${scratch.name}`,
        ),
      );
    } finally {
      await idle.rollback();
    }
    await eventually(
      async () => (await getOutboxLag(databases))[0].waitingOn === undefined,
      'the status to stop waiting',
    );
  });

  test('LISTEN/NOTIFY wakes the relay well before its poll interval', async () => {
    const run = runId('wake');
    const messages = await capture(run);
    const pollIntervalMs = 10_000;
    const relay = startRelay({ settings: { pollIntervalMs, lagLogIntervalMs: 0 } });
    await eventually(() => relay.listening, 'the relay listening');
    // A first event proves the loop ran; then the loop idles for a full poll interval unless NOTIFY wakes it.
    await commitEvents(scratch.db, [
      { aggregateType: 'order', aggregateId: `${run}-warm`, eventType: 'Warm', payload: {} },
    ]);
    await messages.waitFor((m) => m.length === 1, 'the warm-up event');
    await sleep(1000);

    const committedAt = Date.now();
    const [id] = await commitEvents(scratch.db, [
      { aggregateType: 'order', aggregateId: `${run}-a`, eventType: 'Woken', payload: {} },
    ]);
    await messages.waitFor((m) => m.some((x) => x.eventId === id), 'the woken event', pollIntervalMs * 3);
    const latency = (messages.messages.find((m) => m.eventId === id)?.receivedAt ?? Infinity) - committedAt;
    expect(latency).toBeLessThan(pollIntervalMs / 2);
  });

  test('without NOTIFY the relay still delivers by polling', async () => {
    const run = runId('poll');
    const messages = await capture(run);
    startRelay({ settings: { pollIntervalMs: 300, lagLogIntervalMs: 0 } });
    // A raw insert: no pg_notify, like a writer that forgot it.
    const [row] = await scratch
      .db('outbox')
      .insert({
        aggregate_type: 'order',
        aggregate_id: `${run}-a`,
        event_type: 'Silent',
        payload: JSON.stringify({}),
      })
      .returning<{ id: string }[]>('id');
    await messages.waitFor((m) => m.some((x) => x.eventId === row.id), 'the silently inserted event');
  });
});
