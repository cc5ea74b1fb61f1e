/** A Kafka consumer that records the messages published from now on (its own group, started at the topics' ends). */
import { randomBytes } from 'node:crypto';
import type { Consumer, IHeaders, Kafka } from 'kafkajs';
import { loadConfig } from '../../../../common/config';
import { eventTopics } from '../../../../outbox/topics';

export interface CapturedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string;
  eventId: string;
  eventType: string;
  aggregateType: string;
  aggregateId: string;
  headers: Record<string, string>;
  value: Record<string, unknown>;
  receivedAt: number;
}

function headerStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.map(String).join(',') : value.toString();
  }
  return out;
}

export interface Capture {
  messages: CapturedMessage[];
  /** Resolves once `done(messages)` holds; rejects after `timeoutMs` with `what` and the count so far. */
  waitFor(done: (messages: CapturedMessage[]) => boolean, what: string, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Starts capturing messages whose aggregate id passes `keep` (default: all) on the event topics. */
export async function captureMessages(
  kafka: Kafka,
  keep: (aggregateId: string) => boolean = () => true,
  topics: readonly string[] = eventTopics(loadConfig().kafka.namePrefix),
): Promise<Capture> {
  const groupId = `dtx-test-capture-${randomBytes(4).toString('hex')}`;
  // Patient retries: the outage test stops the broker for a while, and a crashed consumer would lose its place.
  const consumer: Consumer = kafka.consumer({
    groupId,
    maxWaitTimeInMs: 100,
    allowAutoTopicCreation: false,
    retry: { retries: 100, initialRetryTime: 300, maxRetryTime: 3000 },
  });
  const messages: CapturedMessage[] = [];
  await consumer.connect();
  // A new group starts at the end of each partition; that position is fixed by the first fetch, so waiting for it
  // guarantees everything produced afterwards is captured.
  const firstFetch = new Promise<void>((resolve) => {
    const remove = consumer.on(consumer.events.FETCH, () => {
      remove();
      resolve();
    });
  });
  await consumer.subscribe({ topics: [...topics], fromBeginning: false });
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      const headers = headerStrings(message.headers);
      const aggregateId = headers['aggregate-id'] ?? '';
      if (!keep(aggregateId)) return;
      messages.push({
        topic,
        partition,
        offset: message.offset,
        key: message.key?.toString() ?? '',
        eventId: headers['event-id'] ?? '',
        eventType: headers['event-type'] ?? '',
        aggregateType: headers['aggregate-type'] ?? '',
        aggregateId,
        headers,
        value: JSON.parse(message.value?.toString() ?? 'null') as Record<string, unknown>,
        receivedAt: Date.now(),
      });
      await Promise.resolve();
    },
  });
  await firstFetch;
  return {
    messages,
    async waitFor(done, what, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (!done(messages)) {
        if (Date.now() > deadline)
          throw new Error(`timed out waiting for ${what} (captured ${messages.length} messages)`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop() {
      await consumer.disconnect();
      const admin = kafka.admin();
      await admin.connect();
      await admin.deleteGroups([groupId]).catch(() => undefined);
      await admin.disconnect();
    },
  };
}

/** The first occurrence of each event id, in consumed order (duplicates from at-least-once delivery removed). */
export function firstOccurrences(messages: readonly CapturedMessage[]): CapturedMessage[] {
  const seen = new Set<string>();
  return messages.filter((m) => !seen.has(m.eventId) && seen.add(m.eventId));
}

/** Event ids per aggregate id, first occurrences, in consumed order. */
export function eventIdsByAggregate(messages: readonly CapturedMessage[]): Map<string, string[]> {
  const byAggregate = new Map<string, string[]>();
  for (const m of firstOccurrences(messages)) {
    const list = byAggregate.get(m.aggregateId) ?? [];
    list.push(m.eventId);
    byAggregate.set(m.aggregateId, list);
  }
  return byAggregate;
}
