/**
 * Relay delivery against real PostgreSQL and Kafka: committed rows arrive with the key/topic/headers of docs/design.md,
 * rolled-back rows never do, the ordering trap, LISTEN/NOTIFY wake-up and the polling fallback.
 */
import type { Kafka } from 'kafkajs';
import { loadConfig } from '../../../common/config';
import { createKafka } from '../../../common/kafka';
import { ensureTopics, topicFor } from '../../../outbox/topics';
import { createScratchDatabase, type ScratchDatabase } from '../../../tools/bench/scratch-db';
import { OutboxRelay } from '../../../workers/relay/relay';
import { appendEvent } from '../../../outbox/writer';
import { captureMessages, eventIdsByAggregate, type Capture } from './support/capture';
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

  test('ordering trap: a transaction that takes its seq first but commits last is delivered, in aggregate order', async () => {
    const run = runId('trap');
    const messages = await capture(run);
    const relay = OutboxRelay.manual({ databaseUrls: [scratch.url], kafka, createTopics: false });
    cleanups.push(() => relay.stop());
    const aggregate = `${run}-order`;

    const slow = await scratch.db.transaction();
    let firstId: string;
    try {
      firstId = await appendEvent(slow, {
        aggregateType: 'order',
        aggregateId: aggregate,
        eventType: 'First',
        payload: { orderId: aggregate },
      });
      const [secondId] = await commitEvents(scratch.db, [
        {
          aggregateType: 'order',
          aggregateId: aggregate,
          eventType: 'Second',
          payload: { orderId: aggregate },
        },
      ]);
      const [otherId] = await commitEvents(scratch.db, [
        { aggregateType: 'order', aggregateId: `${run}-other`, eventType: 'Other', payload: {} },
      ]);

      // The open transaction holds the horizon: nothing committed after it took its txid may go yet.
      await relay.drainOnce();
      const held = await storedRows(scratch.db, run);
      expect(held.map((r) => [r.id, r.status, r.claimed_by])).toEqual(
        expect.arrayContaining([
          [secondId, 'pending', null],
          [otherId, 'pending', null],
        ]),
      );
      const seqOf = (id: string) => BigInt(held.find((r) => r.id === id)?.seq ?? '-1');
      const first = await slow('outbox').where({ id: firstId }).first<{ seq: string }>('seq');
      expect(BigInt(first?.seq ?? '0')).toBeLessThan(seqOf(secondId));
      await slow.commit();

      await relay.drainOnce();
      await messages.waitFor((m) => m.length >= 3, 'the three trap events');
      expect(eventIdsByAggregate(messages.messages).get(aggregate)).toEqual([firstId, secondId]);
      expect(messages.messages.map((m) => m.eventId)).toContain(otherId);
    } finally {
      if (!slow.isCompleted()) await slow.rollback();
    }
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
