/** How an outbox row becomes a Kafka message: topic per aggregate type, key = aggregate id, the headers of docs/design.md. */
import type { Message } from 'kafkajs';
import { topicFor } from './topics';
import type { OutboxRow } from './types';

/** Kafka header names the relay sets (listed in docs/design.md; occurred-at is the row's created_at). */
export const EVENT_HEADERS = {
  eventId: 'event-id',
  eventType: 'event-type',
  aggregateType: 'aggregate-type',
  aggregateId: 'aggregate-id',
  txId: 'tx-id',
  traceparent: 'traceparent',
  occurredAt: 'occurred-at',
  /** The aggregate's position (outbox.aggregate_version): consumers drop an event older than one they applied. */
  aggregateVersion: 'aggregate-version',
} as const;

function headerValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The Kafka message of one row; the row's own headers (tx-id, traceparent, ...) are carried over. */
export function toKafkaMessage(row: OutboxRow): Message {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(row.headers)) {
    if (value !== undefined && value !== null) headers[name] = headerValue(value);
  }
  Object.assign(headers, {
    [EVENT_HEADERS.eventId]: row.id,
    [EVENT_HEADERS.eventType]: row.eventType,
    [EVENT_HEADERS.aggregateType]: row.aggregateType,
    [EVENT_HEADERS.aggregateId]: row.aggregateId,
    [EVENT_HEADERS.occurredAt]: row.createdAt.toISOString(),
  });
  // version 0 = written without an aggregate row (no position to compare): no header
  if (row.aggregateVersion !== '0') headers[EVENT_HEADERS.aggregateVersion] = row.aggregateVersion;
  return { key: row.aggregateId, value: row.payloadJson, headers };
}

/**
 * Rows grouped by topic (`namePrefix` = config.kafka.namePrefix), each topic's messages in the rows' order (kafkajs
 * keeps it per partition).
 */
export function toTopicMessages(
  rows: OutboxRow[],
  namePrefix: string,
): { topic: string; messages: Message[] }[] {
  const byTopic = new Map<string, Message[]>();
  for (const row of rows) {
    const topic = topicFor(row.aggregateType, namePrefix);
    let messages = byTopic.get(topic);
    if (!messages) byTopic.set(topic, (messages = []));
    messages.push(toKafkaMessage(row));
  }
  return [...byTopic.entries()].map(([topic, messages]) => ({ topic, messages }));
}

/** Rows split per aggregate, each group in the input order (the claim returns each aggregate's rows in delivery order). */
export function groupByAggregate(rows: OutboxRow[]): OutboxRow[][] {
  const groups = new Map<string, OutboxRow[]>();
  for (const row of rows) {
    const key = `${row.aggregateType}\u0000${row.aggregateId}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(row);
  }
  return [...groups.values()];
}
