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

/** Records the event in the order's timeline; events that belong to no order are ignored. */
export async function projectEvent(trx: Knex.Transaction, event: InboxEvent): Promise<void> {
  const orderId = orderIdOf(event);
  if (orderId === undefined) return;
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
}
