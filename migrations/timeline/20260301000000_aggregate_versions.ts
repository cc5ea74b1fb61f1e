/** The last aggregate version the timeline applied per aggregate: older (stale) events are dropped. */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table aggregate_versions (
      aggregate_type text        not null,
      aggregate_id   text        not null,
      version        bigint      not null,
      updated_at     timestamptz not null default now(),
      primary key (aggregate_type, aggregate_id)
    );
  `);
}

/** Forward-only: knex requires a down, so it refuses; fix forward with a new migration instead. */
export function down(): Promise<void> {
  return Promise.reject(new Error('dtx migrations are forward-only'));
}
