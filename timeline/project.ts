/** Which order an event belongs to, and how it is written into the timeline (inside the inbox transaction). */
import type { Knex } from 'knex';
import { orderIdFromWorkflowId } from '../workflows/names';
import type { InboxEvent } from '../outbox/inbox/event';

/**
 * The order an event is about: the payload's orderId (inventory, coupon, payment events carry it), else the
 * aggregate id of an order event, else the order of the transaction (tx-id = the workflow id `order-<orderId>`).
 */
export function orderIdOf(event: InboxEvent): string | undefined {
  const payload = event.payload;
  if (payload !== null && typeof payload === 'object' && !Array.isArray(payload)) {
    const orderId = (payload as Record<string, unknown>).orderId;
    if (typeof orderId === 'string' && orderId !== '') return orderId;
  }
  if (event.aggregateType === 'order' && event.aggregateId !== '') return event.aggregateId;
  return event.txId ? orderIdFromWorkflowId(event.txId) : undefined;
}

/**
 * Moves the aggregate's last applied version forward to the event's; false when the event is not newer (a stale
 * snapshot: an older version arriving after a newer one). Events without a version always pass.
 */
async function advanceVersion(trx: Knex.Transaction, event: InboxEvent): Promise<boolean> {
  if (event.aggregateVersion === undefined) return true;
  const result = await trx.raw<{ rowCount: number }>(
    `insert into aggregate_versions (aggregate_type, aggregate_id, version) values (?, ?, ?)
     on conflict (aggregate_type, aggregate_id) do update set version = excluded.version, updated_at = now()
       where aggregate_versions.version < excluded.version`,
    [event.aggregateType, event.aggregateId, event.aggregateVersion.toString()],
  );
  return result.rowCount === 1;
}

/**
 * Records the event in the order's timeline; events that belong to no order are ignored, and so are stale ones
 * (version ≤ the last applied of their aggregate; the relay delivers per aggregate in version order, so this only
 * catches what a lost claim lease or an old broker copy could bring back).
 */
export async function projectEvent(trx: Knex.Transaction, event: InboxEvent): Promise<'stale' | undefined> {
  if (!(await advanceVersion(trx, event))) return 'stale';
  const orderId = orderIdOf(event);
  if (orderId === undefined) return undefined;
  await trx('order_timeline')
    .insert({
      order_id: orderId,
      event_id: event.eventId,
      event_type: event.eventType,
      aggregate_type: event.aggregateType,
      aggregate_id: event.aggregateId,
      tx_id: event.txId ?? null,
      occurred_at: event.occurredAt,
      payload: JSON.stringify(event.payload ?? null),
      topic: event.topic,
      partition: event.partition,
      offset: event.offset,
    })
    .onConflict('event_id')
    .ignore();
  return undefined;
}
