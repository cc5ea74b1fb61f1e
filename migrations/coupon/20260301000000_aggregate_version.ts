/** Per-aggregate event order: coupons.version (bumped with every change that writes an event) and outbox.aggregate_version. */
import type { Knex } from 'knex';
import { addAggregateVersion, addOutboxAggregateOrder } from '../lib/aggregate-order';

export async function up(knex: Knex): Promise<void> {
  await addAggregateVersion(knex, 'coupons');
  await addOutboxAggregateOrder(knex);
}

/** Forward-only: knex requires a down, so it refuses; fix forward with a new migration instead. */
export function down(): Promise<void> {
  return Promise.reject(new Error('dtx migrations are forward-only'));
}
