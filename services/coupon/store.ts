/** SQL of the coupon service (dtx_coupon). */
import type { Knex } from 'knex';
import type { Coupon } from '../../proto/gen/dtx/v1/Coupon';
import type { BranchKey } from '../barrier';
import { noteAggregateVersion } from '../lib/events';
import { toIso, toNumber } from '../lib/values';
import type { CouponTerms } from './discount';

export type CouponState = 'AVAILABLE' | 'FROZEN' | 'USED';
export type HoldState = 'REDEEMED' | 'RESTORED' | 'FROZEN' | 'CONFIRMED' | 'CANCELLED';

interface CouponRow {
  code: string;
  owner_customer_id: string;
  discount_type: 'FIXED' | 'PERCENT';
  amount_off: string;
  percent_off: number;
  max_discount: string;
  min_order_amount: string;
  expires_at: Date | null;
  state: CouponState;
  tx_id: string | null;
  branch_id: string | null;
  order_id: string | null;
}

export interface CouponRecord {
  terms: CouponTerms;
  state: CouponState;
  txId: string;
  orderId: string;
}

export interface HoldRecord {
  code: string;
  orderId: string;
  customerId: string;
  discount: number;
  state: HoldState;
}

function toRecord(row: CouponRow): CouponRecord {
  return {
    terms: {
      code: row.code,
      ownerCustomerId: row.owner_customer_id,
      discountType: row.discount_type,
      amountOff: toNumber(row.amount_off),
      percentOff: row.percent_off,
      maxDiscount: toNumber(row.max_discount),
      minOrderAmount: toNumber(row.min_order_amount),
      expiresAt: row.expires_at ? row.expires_at.getTime() : undefined,
    },
    state: row.state,
    txId: row.tx_id ?? '',
    orderId: row.order_id ?? '',
  };
}

export function toProto(record: CouponRecord): Coupon {
  const t = record.terms;
  return {
    code: t.code,
    ownerCustomerId: t.ownerCustomerId,
    discountType: t.discountType,
    amountOff: t.amountOff,
    percentOff: t.percentOff,
    maxDiscount: t.maxDiscount,
    minOrderAmount: t.minOrderAmount,
    expiresAt: t.expiresAt === undefined ? '' : toIso(new Date(t.expiresAt)),
    state: record.state,
    txId: record.txId,
    orderId: record.orderId,
  };
}

export async function findCoupon(db: Knex, code: string, lock = false): Promise<CouponRecord | undefined> {
  const query = db<CouponRow>('coupons').where({ code }).first();
  const row = await (lock ? query.forUpdate() : query);
  return row ? toRecord(row) : undefined;
}

/** Inserts a new coupon (its first version is noted for its event); false when the code exists (nothing written). */
export async function insertCoupon(trx: Knex.Transaction, t: CouponTerms): Promise<boolean> {
  const result = await trx.raw<{ rows: { version: string }[] }>(
    `insert into coupons (code, owner_customer_id, discount_type, amount_off, percent_off, max_discount, min_order_amount, expires_at)
     values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (code) do nothing returning version`,
    [
      t.code,
      t.ownerCustomerId,
      t.discountType,
      t.amountOff,
      t.percentOff,
      t.maxDiscount,
      t.minOrderAmount,
      t.expiresAt === undefined ? null : new Date(t.expiresAt),
    ],
  );
  if (result.rows.length !== 1) return false;
  noteAggregateVersion(trx, 'coupon', t.code, result.rows[0].version);
  return true;
}

/**
 * Moves a coupon between states, only from the expected state (and holder); false when it was not there. The move
 * bumps the coupon's version (noted for the event of the change).
 */
export async function transition(
  trx: Knex.Transaction,
  code: string,
  from: CouponState,
  to: CouponState,
  holder: { txId: string; branchId: string; orderId: string } | null,
  expectedTxId?: string,
): Promise<boolean> {
  const result = await trx.raw<{ rows: { version: string }[] }>(
    `update coupons set state = ?, tx_id = ?, branch_id = ?, order_id = ?, version = version + 1, updated_at = now()
      where code = ? and state = ?${expectedTxId !== undefined ? ' and tx_id = ?' : ''} returning version`,
    [
      to,
      holder?.txId ?? null,
      holder?.branchId ?? null,
      holder?.orderId ?? null,
      code,
      from,
      ...(expectedTxId !== undefined ? [expectedTxId] : []),
    ],
  );
  if (result.rows.length !== 1) return false;
  noteAggregateVersion(trx, 'coupon', code, result.rows[0].version);
  return true;
}

export async function insertHold(
  trx: Knex.Transaction,
  branch: BranchKey,
  hold: HoldRecord & { mode: 'saga' | 'tcc' },
): Promise<void> {
  await trx('coupon_holds').insert({
    tx_id: branch.txId,
    branch_id: branch.branchId,
    code: hold.code,
    order_id: hold.orderId,
    customer_id: hold.customerId,
    mode: hold.mode,
    discount: hold.discount,
    state: hold.state,
  });
}

export async function findHold(db: Knex, branch: BranchKey, lock = false): Promise<HoldRecord | undefined> {
  const query = db('coupon_holds')
    .where({ tx_id: branch.txId, branch_id: branch.branchId })
    .first<
      { code: string; order_id: string; customer_id: string; discount: string; state: HoldState } | undefined
    >('code', 'order_id', 'customer_id', 'discount', 'state');
  const row = await (lock ? query.forUpdate() : query);
  return row
    ? {
        code: row.code,
        orderId: row.order_id,
        customerId: row.customer_id,
        discount: toNumber(row.discount),
        state: row.state,
      }
    : undefined;
}

export async function setHoldState(
  trx: Knex.Transaction,
  branch: BranchKey,
  state: HoldState,
  reason: string,
): Promise<void> {
  await trx('coupon_holds')
    .where({ tx_id: branch.txId, branch_id: branch.branchId })
    .update({ state, reason, updated_at: trx.fn.now() });
}
