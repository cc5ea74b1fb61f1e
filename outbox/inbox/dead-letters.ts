/** Consumer-side dead letters: events a consumer could not use, kept with their reason (table consumer_dead_letters). */
import type { Knex } from 'knex';
import type { InboxEvent } from './event';

/** Records `event` as dead for `consumer`, in the caller's (inbox) transaction; a repeat changes nothing. */
export async function deadLetterEvent(
  trx: Knex.Transaction,
  consumer: string,
  event: InboxEvent,
  reason: string,
): Promise<void> {
  const payload = typeof event.payload === 'string' ? event.payload : JSON.stringify(event.payload);
  await trx.raw(
    `insert into consumer_dead_letters (consumer, event_id, topic, "partition", "offset", event_type, reason, payload, headers)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) on conflict (consumer, event_id) do nothing`,
    [
      consumer,
      event.eventId,
      event.topic,
      event.partition,
      event.offset,
      event.eventType,
      reason,
      payload,
      JSON.stringify(event.headers),
    ],
  );
}

export interface ConsumerDeadLetter {
  eventId: string;
  eventType: string;
  reason: string;
  payload: string | null;
  createdAt: Date;
}

/** `consumer`'s dead letters, oldest first. */
export async function listConsumerDeadLetters(db: Knex, consumer: string): Promise<ConsumerDeadLetter[]> {
  const rows = await db('consumer_dead_letters')
    .where({ consumer })
    .orderBy('created_at')
    .select<
      { event_id: string; event_type: string; reason: string; payload: string | null; created_at: Date }[]
    >('event_id', 'event_type', 'reason', 'payload', 'created_at');
  return rows.map((r) => ({
    eventId: r.event_id,
    eventType: r.event_type,
    reason: r.reason,
    payload: r.payload,
    createdAt: r.created_at,
  }));
}
