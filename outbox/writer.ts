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
  // one round trip: the insert and the NOTIFY (transactional: delivered at commit, dropped on rollback; the payload
  // names the database's aggregate)
  const result = await trx.raw<{ rows: { id: string }[] }>(
    `with event as (
       insert into outbox (aggregate_type, aggregate_id, event_type, payload, headers, aggregate_version)
       values (?, ?, ?, ?, ?, ?) returning id)
     select id, pg_notify(?, ?) from event`,
    [
      event.aggregateType,
      event.aggregateId,
      event.eventType,
      JSON.stringify(event.payload),
      JSON.stringify({ ...event.headers, ...traceHeaders() }),
      event.aggregateVersion ?? 0,
      OUTBOX_CHANNEL,
      event.aggregateType,
    ],
  );
  return result.rows[0].id;
}
