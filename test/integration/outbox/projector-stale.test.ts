/**
 * The timeline projector against real Kafka: an event whose aggregate-version is not newer than one already applied
 * (a stale snapshot arriving late) is skipped, and the consumer group's offsets are committed (once per fetched
 * batch) past everything it handled.
 */
import { randomUUID } from 'node:crypto';
import { Partitioners, type Kafka } from 'kafkajs';
import { loadConfig } from '../../../common/config';
import { createKafka } from '../../../common/kafka';
import { toKafkaMessage } from '../../../outbox/messages';
import { ensureTopics, topicFor } from '../../../outbox/topics';
import type { OutboxRow } from '../../../outbox/types';
import { getOrderTimeline } from '../../../timeline/queries';
import { createScratchDatabase, type ScratchDatabase } from '../../../tools/bench/scratch-db';
import { TimelineProjector } from '../../../workers/projector/projector';
import { runCleanups } from './support/cleanup';
import { eventually, runId } from './support/events';

describe('timeline projector and aggregate versions', () => {
  let timeline: ScratchDatabase;
  let kafka: Kafka;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    timeline = await createScratchDatabase('timelinetest', { outbox: false });
    kafka = createKafka({ clientSuffix: 'test' });
    await ensureTopics(kafka);
  });

  afterAll(async () => {
    await runCleanups(cleanups);
    await timeline.drop();
  });

  test('drops an event older than the version already applied for its aggregate', async () => {
    const run = runId('stale');
    const groupId = `dtx-test-timeline-${run}`;
    const projector = await TimelineProjector.start({
      databaseUrl: timeline.url,
      kafka,
      groupId,
      fromBeginning: false,
    });
    cleanups.push(() => projector.stop());
    await projector.ready;

    const orderId = `${run}-o1`;
    const row = (eventType: string, version: number): OutboxRow => ({
      id: randomUUID(),
      seq: String(version),
      txid: '1',
      aggregateType: 'order',
      aggregateId: orderId,
      aggregateVersion: String(version),
      eventType,
      payloadJson: JSON.stringify({ orderId, version }),
      headers: { 'tx-id': `order-${orderId}` },
      createdAt: new Date(Date.now() + version),
      attempts: 0,
    });
    // version 2 arrives after version 3: what a consumer keeping the latest state must not apply
    const rows = [row('OrderCreated', 1), row('OrderConfirmed', 3), row('OrderStaleSnapshot', 2)];
    const topic = topicFor('order', loadConfig().kafka.namePrefix);
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      await producer.send({ topic, acks: -1, messages: rows.map(toKafkaMessage) });
    } finally {
      await producer.disconnect();
    }

    const ids = rows.map((r) => r.id);
    await eventually(
      async () => (await projector.db('inbox').whereIn('event_id', ids)).length === rows.length,
      'the projector to handle the three events',
    );
    const entries = await getOrderTimeline(orderId, projector.db);
    expect(entries.map((e) => e.eventType)).toEqual(['OrderCreated', 'OrderConfirmed']);
    // (the counts also see other tests' events on the shared topics)
    expect(projector.counts.stale).toBeGreaterThanOrEqual(1);
    const applied = await projector
      .db('aggregate_versions')
      .where({ aggregate_type: 'order', aggregate_id: orderId })
      .first<{ version: string }>('version');
    expect(applied?.version).toBe('3');
    // the stale event is handled (inbox row) like any other: a redelivery would not be reconsidered
    const inbox = await projector.db('inbox').whereIn('event_id', ids);
    expect(inbox).toHaveLength(3);

    // offsets committed past the three events (batched by kafkajs, not one commit per message)
    const partition = inbox[0].partition as number;
    const last = Math.max(...inbox.map((r: { offset: string }) => Number(r.offset)));
    const admin = kafka.admin();
    await admin.connect();
    try {
      await eventually(async () => {
        const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
        const committed = offsets.partitions.find((p) => p.partition === partition)?.offset;
        return Number(committed) === last + 1;
      }, 'the group offset past the last event');
    } finally {
      await admin.disconnect();
    }
  });
});
