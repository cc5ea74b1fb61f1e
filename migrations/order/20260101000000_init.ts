/** dtx_order: barrier + outbox, orders with their priced lines. Forward-only. */
import type { Knex } from 'knex';
import { createBarrierTable, createOutboxTable } from '../lib/tables';

export async function up(knex: Knex): Promise<void> {
  await createBarrierTable(knex);
  await createOutboxTable(knex);
  await knex.raw(`
    create table orders (
      order_id      text        primary key,
      -- keyset pagination of ListOrders (newest first)
      seq           bigserial   not null unique,
      customer_id   text        not null,
      status        text        not null check (status in ('PENDING', 'CONFIRMED', 'CANCELLED')),
      subtotal      bigint      not null check (subtotal >= 0),
      discount      bigint      not null default 0 check (discount >= 0 and discount <= subtotal),
      total         bigint      not null check (total = subtotal - discount),
      coupon_code   text        not null default '',
      tx_mode       text        not null default '' check (tx_mode in ('', 'saga', 'tcc')),
      tx_id         text        not null,
      cancel_reason text        not null default '',
      created_at    timestamptz not null default now(),
      updated_at    timestamptz not null default now()
    );
    create index orders_customer on orders (customer_id, seq desc);
    create table order_lines (
      order_id   text    not null references orders (order_id),
      line_no    integer not null check (line_no >= 0),
      sku        text    not null,
      quantity   integer not null check (quantity > 0),
      unit_price bigint  not null check (unit_price >= 0),
      line_total bigint  not null check (line_total = unit_price * quantity),
      primary key (order_id, line_no),
      unique (order_id, sku)
    );
  `);
}

/** Forward-only: knex requires a down, so it refuses; fix forward with a new migration instead. */
export function down(): Promise<void> {
  return Promise.reject(new Error('dtx migrations are forward-only'));
}
