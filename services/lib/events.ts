/** Writes a domain event of a service into its outbox, in the caller's transaction, with the call's headers. */
import type { Knex } from 'knex';
import type { ServiceName } from '../../common/config';
import { appendEvent } from '../../outbox/writer';
import type { CallContext } from '../rpc/server';

/** aggregate type = the service, aggregate id = the entity (order id, sku, coupon code, customer id). */
export function emitEvent(
  trx: Knex.Transaction,
  ctx: CallContext,
  service: ServiceName,
  aggregateId: string,
  eventType: string,
  payload: Record<string, unknown>,
): Promise<string> {
  return appendEvent(trx, {
    aggregateType: service,
    aggregateId,
    eventType,
    payload,
    headers: ctx.eventHeaders,
  });
}
