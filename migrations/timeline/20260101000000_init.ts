/** dtx_timeline: the projector's inbox and the order timeline (one row per event of an order). Forward-only. */
import type { Knex } from 'knex';
import { createInboxTable } from '../../outbox/inbox/schema';

export async function up(knex: Knex): Promise<void> {
  await createInboxTable(knex);
  await knex.raw(`
    create table order_timeline (
      id             bigserial   primary key,
      order_id       text        not null,
      -- the outbox row id: an event appears at most once, even if the inbox were bypassed
      event_id       text        not null unique,
      event_type     text        not null,
      aggregate_type text        not null,
      aggregate_id   text        not null,
      tx_id          text,
      occurred_at    timestamptz not null,
      payload        jsonb       not null,
      topic          text        not null,
      "partition"    integer     not null,
      "offset"       bigint      not null,
      recorded_at    timestamptz not null default now()
    );
    create index order_timeline_order on order_timeline (order_id, occurred_at, id);
  `);
}

/** Forward-only: knex requires a down, so it refuses; fix forward with a new migration instead. */
export function down(): Promise<void> {
  return Promise.reject(new Error('dtx migrations are forward-only'));
}
