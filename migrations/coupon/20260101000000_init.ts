/** dtx_coupon: barrier + outbox, coupons and the holds of each (tx, branch). Forward-only. */
import type { Knex } from 'knex';
import { createBarrierTable, createOutboxTable } from '../lib/tables';

export async function up(knex: Knex): Promise<void> {
  await createBarrierTable(knex);
  await createOutboxTable(knex);
  await knex.raw(`
    create table coupons (
      code              text        primary key,
      owner_customer_id text        not null default '',
      discount_type     text        not null check (discount_type in ('FIXED', 'PERCENT')),
      amount_off        bigint      not null default 0 check (amount_off >= 0),
      percent_off       integer     not null default 0 check (percent_off between 0 and 100),
      max_discount      bigint      not null default 0 check (max_discount >= 0),
      min_order_amount  bigint      not null default 0 check (min_order_amount >= 0),
      expires_at        timestamptz,
      state             text        not null default 'AVAILABLE' check (state in ('AVAILABLE', 'FROZEN', 'USED')),
      -- the tx holding (FROZEN) or having used (USED) it
      tx_id             text,
      branch_id         text,
      order_id          text,
      created_at        timestamptz not null default now(),
      updated_at        timestamptz not null default now(),
      check ((state = 'AVAILABLE') = (tx_id is null)),
      check ((discount_type = 'FIXED' and amount_off > 0 and percent_off = 0)
          or (discount_type = 'PERCENT' and percent_off between 1 and 100 and amount_off = 0))
    );
    create table coupon_holds (
      tx_id       text        not null,
      branch_id   text        not null,
      code        text        not null references coupons (code),
      order_id    text        not null,
      customer_id text        not null,
      mode        text        not null check (mode in ('saga', 'tcc')),
      discount    bigint      not null check (discount >= 0),
      state       text        not null check (state in ('REDEEMED', 'RESTORED', 'FROZEN', 'CONFIRMED', 'CANCELLED')),
      reason      text        not null default '',
      created_at  timestamptz not null default now(),
      updated_at  timestamptz not null default now(),
      primary key (tx_id, branch_id)
    );
    -- single use, enforced by the database too: at most one live hold per coupon
    create unique index coupon_holds_live on coupon_holds (code) where state in ('REDEEMED', 'FROZEN', 'CONFIRMED');
  `);
}

/** Forward-only: knex requires a down, so it refuses; fix forward with a new migration instead. */
export function down(): Promise<void> {
  return Promise.reject(new Error('dtx migrations are forward-only'));
}
