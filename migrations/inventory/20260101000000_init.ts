/** dtx_inventory: barrier + outbox, the catalogue, stock per SKU and reservations per (tx, branch, sku). Forward-only. */
import type { Knex } from 'knex';
import { createBarrierTable, createOutboxTable } from '../lib/tables';

export async function up(knex: Knex): Promise<void> {
  await createBarrierTable(knex);
  await createOutboxTable(knex);
  await knex.raw(`
    create table products (
      sku        text        primary key,
      name       text        not null,
      unit_price bigint      not null check (unit_price >= 0),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create table stock (
      sku        text        primary key references products (sku),
      available  bigint      not null default 0 check (available >= 0),
      frozen     bigint      not null default 0 check (frozen >= 0),
      sold       bigint      not null default 0 check (sold >= 0),
      updated_at timestamptz not null default now()
    );
    -- what each branch took, so Release / ConfirmReserve / CancelReserve know what to move back or on
    create table reservations (
      tx_id      text        not null,
      branch_id  text        not null,
      sku        text        not null references products (sku),
      order_id   text        not null default '',
      quantity   integer     not null check (quantity > 0),
      mode       text        not null check (mode in ('saga', 'tcc')),
      state      text        not null check (state in ('RESERVED', 'RELEASED', 'FROZEN', 'CONFIRMED', 'CANCELLED')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tx_id, branch_id, sku),
      check ((mode = 'saga') = (state in ('RESERVED', 'RELEASED')))
    );
  `);
}

/** Forward-only: knex requires a down, so it refuses; fix forward with a new migration instead. */
export function down(): Promise<void> {
  return Promise.reject(new Error('dtx migrations are forward-only'));
}
