/** dtx_payment: barrier + outbox, wallets and the payments of each (tx, branch). Forward-only. */
import type { Knex } from 'knex';
import { createBarrierTable, createOutboxTable } from '../lib/tables';

export async function up(knex: Knex): Promise<void> {
  await createBarrierTable(knex);
  await createOutboxTable(knex);
  await knex.raw(`
    create table wallets (
      customer_id text        primary key,
      -- money crosses gRPC as a JS number: keep it within Number.MAX_SAFE_INTEGER
      balance     bigint      not null default 0 check (balance >= 0 and balance <= 9007199254740991),
      frozen      bigint      not null default 0 check (frozen >= 0 and frozen <= 9007199254740991),
      created_at  timestamptz not null default now(),
      updated_at  timestamptz not null default now()
    );
    create table payments (
      tx_id       text        not null,
      branch_id   text        not null,
      customer_id text        not null references wallets (customer_id),
      order_id    text        not null default '',
      kind        text        not null check (kind in ('CHARGE', 'FREEZE', 'CREDIT')),
      amount      bigint      not null check (amount > 0),
      state       text        not null check (state in ('CHARGED', 'REFUNDED', 'FROZEN', 'CONFIRMED', 'CANCELLED', 'CREDITED')),
      reason      text        not null default '',
      created_at  timestamptz not null default now(),
      updated_at  timestamptz not null default now(),
      primary key (tx_id, branch_id)
    );
    create index payments_customer on payments (customer_id, created_at);
  `);
}

/** Forward-only: knex requires a down, so it refuses; fix forward with a new migration instead. */
export function down(): Promise<void> {
  return Promise.reject(new Error('dtx migrations are forward-only'));
}
