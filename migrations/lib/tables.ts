/** DDL every service database shares: the barrier and the outbox tables (docs/design.md). */
import type { Knex } from 'knex';

/** tx_barrier: one row per (tx, branch, op); inserted in the same local transaction as the business change. */
export async function createBarrierTable(knex: Knex): Promise<void> {
  await knex.raw(`
    create table tx_barrier (
      tx_id      text        not null,
      branch_id  text        not null,
      op         text        not null check (op in ('action', 'compensate', 'try', 'confirm', 'cancel')),
      reason     text        not null default '',
      created_at timestamptz not null default now(),
      primary key (tx_id, branch_id, op)
    );
    -- the cleanup job deletes by age
    create index tx_barrier_created_at on tx_barrier (created_at);
  `);
}

/** outbox: the local message table; the relay publishes rows in (txid, seq) order once no older tx is running. */
export async function createOutboxTable(knex: Knex): Promise<void> {
  await knex.raw(`
    create table outbox (
      id              uuid        primary key default gen_random_uuid(),
      seq             bigserial   not null unique,
      txid            xid8        not null default pg_current_xact_id(),
      aggregate_type  text        not null,
      aggregate_id    text        not null,
      event_type      text        not null,
      payload         jsonb       not null,
      headers         jsonb       not null default '{}'::jsonb,
      created_at      timestamptz not null default now(),
      status          text        not null default 'pending' check (status in ('pending', 'sent', 'dead')),
      attempts        integer     not null default 0,
      next_attempt_at timestamptz not null default now(),
      last_error      text,
      sent_at         timestamptz,
      claimed_by      text,
      claimed_until   timestamptz
    );
    create index outbox_pending on outbox (txid, seq) where status <> 'sent';
    create index outbox_aggregate on outbox (aggregate_type, aggregate_id, txid, seq) where status <> 'sent';
    create index outbox_sent_at on outbox (sent_at) where status = 'sent';
  `);
}
