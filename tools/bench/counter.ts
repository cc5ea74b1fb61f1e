/** A fast consumer (eachBatch) counting this run's messages on one topic, from the moment it has fetched. */
import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';

export interface Counter {
  /** Distinct event ids seen. */
  readonly count: number;
  /** Called for each first-seen event with its receive time (ms). */
  onMessage?: (eventId: string, receivedAt: number) => void;
  stop(): Promise<void>;
}

export async function startCounter(kafka: Kafka, topic: string, aggregatePrefix: string): Promise<Counter> {
  const groupId = `dtx-bench-${randomBytes(4).toString('hex')}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 50, maxBytes: 50 * 1024 * 1024 });
  const seen = new Set<string>();
  const counter: Counter = {
    get count() {
      return seen.size;
    },
    async stop() {
      await consumer.disconnect();
      const admin = kafka.admin();
      await admin.connect();
      await admin.deleteGroups([groupId]).catch(() => undefined);
      await admin.disconnect();
    },
  };
  const fetched = new Promise<void>((resolve) => {
    const remove = consumer.on(consumer.events.FETCH, () => {
      remove();
      resolve();
    });
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: false });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      const receivedAt = Date.now();
      for (const message of batch.messages) {
        const aggregateId = message.headers?.['aggregate-id']?.toString() ?? '';
        if (!aggregateId.startsWith(aggregatePrefix)) continue;
        const eventId = message.headers?.['event-id']?.toString() ?? '';
        if (seen.has(eventId)) continue;
        seen.add(eventId);
        counter.onMessage?.(eventId, receivedAt);
      }
      await Promise.resolve();
    },
  });
  await fetched;
  return counter;
}
