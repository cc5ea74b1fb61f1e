/** Writes a domain event into the service's outbox, inside the caller's transaction (docs/design.md, "Outbox and inbox"). */
import type { Knex } from 'knex';
import { traceHeaders } from '../common/telemetry';

export const OUTBOX_CHANNEL = 'dtx_outbox';

export interface DomainEvent {
  aggregateType: string;
  aggregateId: string;
  eventType: string;
  payload: Record<string, unknown>;
  /**
   * tx-id, ... (strings only: they become Kafka headers). The trace context of the writing transaction (W3C
   * `traceparent`, `tracestate`) is added from the active span when tracing is on; the relay continues that trace.
   */
  headers?: Record<string, string>;
  /**
   * The aggregate row's version after this transaction's change (bumped in the same UPDATE, so taken under the row
   * lock, in commit order): the relay delivers each aggregate's events in this order. One bump per event. Omitted
   * (0) only by writers without an aggregate row; their rows keep (txid, seq) order.
   */
  aggregateVersion?: number;
}

/** Inserts the event row and NOTIFYs the relay; both take effect only if `trx` commits. Returns the event id. */
export async function appendEvent(trx: Knex.Transaction, event: DomainEvent): Promise<string> {
  const rows = await trx('outbox')
    .insert({
      aggregate_type: event.aggregateType,
      aggregate_id: event.aggregateId,
      event_type: event.eventType,
      payload: JSON.stringify(event.payload),
      headers: JSON.stringify({ ...event.headers, ...traceHeaders() }),
      aggregate_version: event.aggregateVersion ?? 0,
    })
    .returning<{ id: string }[]>('id');
  // NOTIFY is transactional: delivered at commit, dropped on rollback; the payload names the database's aggregate.
  await trx.raw('select pg_notify(?, ?)', [OUTBOX_CHANNEL, event.aggregateType]);
  return rows[0].id;
}
