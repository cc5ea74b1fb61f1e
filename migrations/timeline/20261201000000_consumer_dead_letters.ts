/**
 * Consumer-side dead letters (issue 14): an event a consumer cannot use (malformed: no transaction id, not JSON, an
 * unknown result) is recorded here with its reason, in the same transaction as its inbox row, and not retried. The
 * payment bridge keeps its inbox in this database (the consumers' database) under consumer "payment-bridge".
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table consumer_dead_letters (
      consumer    text        not null,
      event_id    text        not null,
      topic       text        not null,
      "partition" integer     not null,
      "offset"    bigint      not null,
      event_type  text        not null,
      reason      text        not null,
      payload     text,
      headers     jsonb       not null default '{}'::jsonb,
      created_at  timestamptz not null default now(),
      primary key (consumer, event_id)
    );
  `);
}

/** Forward-only: knex requires a down, so it refuses; fix forward with a new migration instead. */
export function down(): Promise<void> {
  return Promise.reject(new Error('dtx migrations are forward-only'));
}
