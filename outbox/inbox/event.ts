/** A consumed outbox event as handlers see it: the relay's headers decoded, the payload parsed. */
import type { KafkaMessage } from 'kafkajs';
import { EVENT_HEADERS } from '../messages';

export interface InboxEvent {
  /** The outbox row id (header event-id); `<topic>/<partition>/<offset>` when a producer left it out. */
  eventId: string;
  eventType: string;
  aggregateType: string;
  aggregateId: string;
  /** The aggregate's position (header aggregate-version); absent for events written without one. */
  aggregateVersion?: bigint;
  txId?: string;
  traceparent?: string;
  /** When the outbox row was written (header occurred-at), else the Kafka timestamp. */
  occurredAt: Date;
  headers: Record<string, string>;
  /** Parsed JSON value (the raw string if it is not JSON). */
  payload: unknown;
  topic: string;
  partition: number;
  offset: string;
}

function headerStrings(message: KafkaMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.map((v) => v.toString()).join(',') : value.toString();
  }
  return out;
}

function parsePayload(raw: string | undefined): unknown {
  if (raw === undefined) return null;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

/** Decodes a Kafka message produced by the outbox relay. */
function versionOf(raw: string | undefined): bigint | undefined {
  return raw !== undefined && /^\d{1,19}$/.test(raw) ? BigInt(raw) : undefined;
}

export function decodeEvent(topic: string, partition: number, message: KafkaMessage): InboxEvent {
  const headers = headerStrings(message);
  const aggregateVersion = versionOf(headers[EVENT_HEADERS.aggregateVersion]);
  const occurred = headers[EVENT_HEADERS.occurredAt]
    ? new Date(headers[EVENT_HEADERS.occurredAt])
    : new Date(Number(message.timestamp));
  return {
    eventId: headers[EVENT_HEADERS.eventId] || `${topic}/${partition}/${message.offset}`,
    eventType: headers[EVENT_HEADERS.eventType] ?? '',
    aggregateType: headers[EVENT_HEADERS.aggregateType] ?? '',
    aggregateId: headers[EVENT_HEADERS.aggregateId] ?? message.key?.toString() ?? '',
    ...(aggregateVersion !== undefined ? { aggregateVersion } : {}),
    txId: headers[EVENT_HEADERS.txId],
    traceparent: headers[EVENT_HEADERS.traceparent],
    occurredAt: Number.isNaN(occurred.getTime()) ? new Date() : occurred,
    headers,
    payload: parsePayload(message.value?.toString()),
    topic,
    partition,
    offset: message.offset,
  };
}
