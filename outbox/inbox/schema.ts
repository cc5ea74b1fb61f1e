/** DDL of the inbox: one row per (consumer, event) already handled, written in the handler's own transaction. */
import type { Knex } from 'knex';

/** inbox(consumer, event_id) unique: a redelivered event finds its row and changes nothing. */
export async function createInboxTable(knex: Knex): Promise<void> {
  await knex.raw(`
    create table inbox (
      consumer     text        not null,
      event_id     text        not null,
      topic        text        not null,
      "partition"  integer     not null,
      "offset"     bigint      not null,
      processed_at timestamptz not null default now(),
      primary key (consumer, event_id)
    );
    -- retention cleanup deletes by age
    create index inbox_processed_at on inbox (processed_at);
  `);
}
