/**
 * Smoke test of the running stack (`npm run stack -- up`): each server does real work, not just accept a socket.
 * Temporal runs a workflow + activity on a real Worker, PostgreSQL round-trips a row through knex, and Kafka
 * delivers a produced message to a consumer group. Everything uses ids unique to this run.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import knex from 'knex';
import { loadConfig } from '../../common/config';
import { createKafka } from '../../common/kafka';
import { temporalConnectionOptions } from '../../common/temporal';
import * as smokeActivities from './fixtures/smoke-activities';
import type { stackSmokeWorkflow } from './fixtures/smoke-workflow';

const config = loadConfig();
const runId = randomUUID().slice(0, 8);

/** Rejects after `ms` so a broken server fails the test with a message instead of hanging it. */
function guard<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe('the running stack', () => {
  it('Temporal: a workflow with one activity runs on a real worker and its result comes back', async () => {
    const namespace = config.temporal.namespace;
    const taskQueue = `stack-smoke-${runId}`;
    const workflowId = `stack-smoke-${runId}`;
    const workerConnection = await NativeConnection.connect(temporalConnectionOptions(config));
    const clientConnection = await Connection.connect(temporalConnectionOptions(config));
    try {
      const worker = await Worker.create({
        connection: workerConnection,
        namespace,
        taskQueue,
        workflowsPath: require.resolve('./fixtures/smoke-workflow'),
        activities: smokeActivities,
      });
      const client = new Client({ connection: clientConnection, namespace });
      const result = await worker.runUntil(
        client.workflow.execute<typeof stackSmokeWorkflow>('stackSmokeWorkflow', {
          taskQueue,
          workflowId,
          args: ['dtx'],
        }),
      );
      expect(result).toBe('hello, DTX from stackSmokeWorkflow (attempt 1)');

      // The server recorded it: the history holds the completed activity and the completed workflow.
      const history = await client.workflow.getHandle(workflowId).fetchHistory();
      const events = history.events ?? [];
      expect(events.filter((event) => event.activityTaskCompletedEventAttributes)).toHaveLength(1);
      expect(events.some((event) => event.workflowExecutionCompletedEventAttributes)).toBe(true);
    } finally {
      await clientConnection.close();
      await workerConnection.close();
    }
  });

  it('PostgreSQL: the dtx databases exist and a row round-trips through knex', async () => {
    const db = knex({ client: 'pg', connection: config.databases.order, pool: { min: 1, max: 1 } });
    try {
      const onThisServer = Object.values(config.databases)
        .filter((url) => new URL(url).host === new URL(config.databases.order).host)
        .map((url) => new URL(url).pathname.slice(1));
      const present = await db
        .select('datname')
        .from('pg_database')
        .whereIn('datname', onThisServer)
        .then((rows: { datname: string }[]) => rows.map((row) => row.datname).sort());
      expect(present).toEqual([...onThisServer].sort());

      const table = `stack_smoke_${runId}`;
      const row = {
        note: `smoke ${runId}`,
        amount_cents: 123456789012,
        payload: { sku: `SKU-${runId}`, qty: 3 },
      };
      const readBack = await db.transaction(async (trx) => {
        // A temporary table lives in this session's own schema and disappears at commit: nothing shared is touched.
        await trx.raw(
          `create temporary table ?? (id serial primary key, note text not null, amount_cents bigint not null,
             payload jsonb not null, created_at timestamptz not null default now()) on commit drop`,
          [table],
        );
        const [inserted] = await trx(table)
          .insert({ ...row, payload: JSON.stringify(row.payload) })
          .returning<{ id: number }[]>('id');
        return trx(table).where({ id: inserted.id }).first<Record<string, unknown>>();
      });
      expect(readBack).toMatchObject({
        note: row.note,
        amount_cents: String(row.amount_cents), // pg returns bigint as a string: no precision lost
        payload: row.payload,
      });
      expect(readBack?.created_at).toBeInstanceOf(Date);
    } finally {
      await db.destroy();
    }
  });

  it('Kafka: a message produced with kafkajs is consumed by a consumer group', async () => {
    const kafka = createKafka({ config, clientSuffix: `smoke-${runId}` });
    const topic = `dtx.smoke.${runId}`;
    const groupId = `dtx-smoke-${runId}`;
    const admin = kafka.admin();
    const producer = kafka.producer();
    const consumer = kafka.consumer({ groupId });
    await admin.connect();
    try {
      await admin.createTopics({
        topics: [{ topic, numPartitions: 1, replicationFactor: 1 }],
        waitForLeaders: true,
      });
      await producer.connect();
      await producer.send({
        topic,
        messages: [
          { key: `order-${runId}`, value: JSON.stringify({ runId }), headers: { 'event-type': 'Smoke' } },
        ],
      });

      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      const received = await guard(
        new Promise<{ key?: string; value?: string; eventType?: string }>((resolve) => {
          void consumer.run({
            eachMessage: ({ message }) => {
              resolve({
                key: message.key?.toString(),
                value: message.value?.toString(),
                eventType: message.headers?.['event-type']?.toString(),
              });
              return Promise.resolve();
            },
          });
        }),
        90_000,
        `consumer group ${groupId} on ${topic}`,
      );
      expect(received).toEqual({
        key: `order-${runId}`,
        value: JSON.stringify({ runId }),
        eventType: 'Smoke',
      });

      // The group really coordinated: after it stops, its committed offset is past our one message.
      await consumer.disconnect();
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      expect(offsets.partitions).toEqual([{ partition: 0, offset: '1', metadata: null }]);
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.deleteGroups([groupId]).catch(() => undefined);
      await admin.disconnect();
    }
  });
});
