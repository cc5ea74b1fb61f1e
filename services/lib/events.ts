/**
 * Writes a domain event of a service into its outbox, in the caller's transaction, with the call's headers and the
 * aggregate's version (docs/design.md, Outbox ordering).
 *
 * The store functions that change an aggregate row (stock, wallet, coupon, order) bump its `version` in the same
 * UPDATE and note it here; emitEvent copies the noted version into the outbox row and consumes it. So an event can
 * only be written after its transaction has changed (and therefore locked) its aggregate row, one bump per event,
 * and the relay can deliver each aggregate's events in the order their transactions committed.
 */
import type { Knex } from 'knex';
import type { ServiceName } from '../../common/config';
import { appendEvent } from '../../outbox/writer';
import type { CallContext } from '../rpc/server';

/** Per transaction: aggregate (service + id) → its version after this transaction's last change, not yet used. */
const noted = new WeakMap<Knex.Transaction, Map<string, number>>();

const keyOf = (service: ServiceName, aggregateId: string): string => `${service}\u0000${aggregateId}`;

/** Records the version an UPDATE ... RETURNING version gave an aggregate row in `trx` (called by the stores). */
export function noteAggregateVersion(
  trx: Knex.Transaction,
  service: ServiceName,
  aggregateId: string,
  version: number | string,
): void {
  let versions = noted.get(trx);
  if (!versions) noted.set(trx, (versions = new Map<string, number>()));
  versions.set(keyOf(service, aggregateId), Number(version));
}

/** An event written without its aggregate row changed in the same transaction: its order would be unknown. */
export class UnversionedEventError extends Error {
  constructor(service: ServiceName, aggregateId: string, eventType: string) {
    super(
      `${eventType} of ${service}/${aggregateId}: the transaction did not change the aggregate row (no version to order the event by)`,
    );
    this.name = 'UnversionedEventError';
  }
}

/** aggregate type = the service, aggregate id = the entity (order id, sku, coupon code, customer id). */
export function emitEvent(
  trx: Knex.Transaction,
  ctx: CallContext,
  service: ServiceName,
  aggregateId: string,
  eventType: string,
  payload: Record<string, unknown>,
): Promise<string> {
  const versions = noted.get(trx);
  const key = keyOf(service, aggregateId);
  const aggregateVersion = versions?.get(key);
  if (aggregateVersion === undefined)
    return Promise.reject(new UnversionedEventError(service, aggregateId, eventType));
  versions?.delete(key);
  return appendEvent(trx, {
    aggregateType: service,
    aggregateId,
    eventType,
    payload,
    headers: ctx.eventHeaders,
    aggregateVersion,
  });
}
