/** Writes a domain event into the service's outbox, inside the caller's transaction (docs/design.md, "Outbox and inbox"). */
import type { Knex } from 'knex';

export const OUTBOX_CHANNEL = 'dtx_outbox';

export interface DomainEvent {
  aggregateType: string;
  aggregateId: string;
  eventType: string;
  payload: Record<string, unknown>;
  /** tx-id, traceparent, ... (strings only: they become Kafka headers). */
  headers?: Record<string, string>;
}

/** Inserts the event row and NOTIFYs the relay; both take effect only if `trx` commits. Returns the event id. */
export async function appendEvent(trx: Knex.Transaction, event: DomainEvent): Promise<string> {
  const rows = await trx('outbox')
    .insert({
      aggregate_type: event.aggregateType,
      aggregate_id: event.aggregateId,
      event_type: event.eventType,
      payload: JSON.stringify(event.payload),
      headers: JSON.stringify(event.headers ?? {}),
    })
    .returning<{ id: string }[]>('id');
  // NOTIFY is transactional: delivered at commit, dropped on rollback; the payload names the database's aggregate.
  await trx.raw('select pg_notify(?, ?)', [OUTBOX_CHANNEL, event.aggregateType]);
  return rows[0].id;
}
