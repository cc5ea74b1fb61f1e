/** The CouponService RPCs: Quote, saga Redeem/Restore, TCC TryLock/Confirm/Cancel, GetCoupon, admin IssueCoupon. */
import type { Knex } from 'knex';
import type { CouponResult } from '../../proto/gen/dtx/v1/CouponResult';
import type { CouponServiceHandlers } from '../../proto/gen/dtx/v1/CouponService';
import type { TxMode } from '../../workflows/names';
import { withBarrier } from '../barrier';
import { FORWARD_OP, recordOf, settleRpcs, type SettleOp } from '../lib/branch';
import { requestFingerprint } from '../lib/fingerprint';
import { emitEvent } from '../lib/events';
import { AlreadyExistsError, NotFoundError } from '../rpc/errors';
import type { CallContext, Handlers } from '../rpc/server';
import { checkEligible, computeDiscount, type CouponTerms } from './discount';
import {
  findCoupon,
  findHold,
  insertCoupon,
  insertHold,
  setHoldState,
  toProto,
  transition,
  type CouponState,
  type HoldState,
} from './store';
import { validateGet, validateIssue, validateQuote, validateUse, type ValidUse } from './validate';

const sameTerms = (a: CouponTerms, b: CouponTerms): boolean =>
  a.ownerCustomerId === b.ownerCustomerId &&
  a.discountType === b.discountType &&
  a.amountOff === b.amountOff &&
  a.percentOff === b.percentOff &&
  a.maxDiscount === b.maxDiscount &&
  a.minOrderAmount === b.minOrderAmount &&
  a.expiresAt === b.expiresAt;

/** Redeem (saga) and TryLock (tcc): the coupon's state after, the hold's state, the event. */
const USE: Record<TxMode, { to: CouponState; hold: HoldState; event: string }> = {
  saga: { to: 'USED', hold: 'REDEEMED', event: 'CouponRedeemed' },
  tcc: { to: 'FROZEN', hold: 'FROZEN', event: 'CouponFrozen' },
};

/** Restore, Confirm, Cancel: the hold's state before and after, the coupon's move, the event. */
interface CouponSettle {
  expected: HoldState;
  next: HoldState;
  from: CouponState;
  to: CouponState;
  event: string;
}
const SETTLE: Record<SettleOp, CouponSettle> = {
  compensate: {
    expected: 'REDEEMED',
    next: 'RESTORED',
    from: 'USED',
    to: 'AVAILABLE',
    event: 'CouponRestored',
  },
  confirm: { expected: 'FROZEN', next: 'CONFIRMED', from: 'FROZEN', to: 'USED', event: 'CouponConfirmed' },
  cancel: { expected: 'FROZEN', next: 'CANCELLED', from: 'FROZEN', to: 'AVAILABLE', event: 'CouponUnfrozen' },
};

export function couponHandlers(db: Knex): Handlers<CouponServiceHandlers> {
  async function requireCoupon(trx: Knex, code: string, lock = false) {
    const coupon = await findCoupon(trx, code, lock);
    if (!coupon) throw new NotFoundError('coupon', code);
    return coupon;
  }

  /** Takes the coupon out of AVAILABLE for this tx (into the mode's state) under the barrier. */
  async function use(input: ValidUse, ctx: CallContext, mode: TxMode): Promise<CouponResult> {
    const { to, hold, event } = USE[mode];
    const { outcome, value } = await withBarrier(
      db,
      input.branch,
      FORWARD_OP[mode],
      '',
      async (trx) => {
        const coupon = await requireCoupon(trx, input.code, true);
        checkEligible(coupon.terms, coupon.state, input.customerId, input.orderAmount, Date.now());
        const discount = computeDiscount(coupon.terms, input.orderAmount);
        const holder = { txId: input.branch.txId, branchId: input.branch.branchId, orderId: input.orderId };
        if (!(await transition(trx, input.code, 'AVAILABLE', to, holder)))
          throw new Error(`coupon ${input.code} left AVAILABLE under its row lock`);
        await insertHold(trx, input.branch, {
          code: input.code,
          orderId: input.orderId,
          customerId: input.customerId,
          discount,
          state: hold,
          mode,
        });
        await emitEvent(trx, ctx, 'coupon', input.code, event, {
          orderId: input.orderId,
          customerId: input.customerId,
          txId: input.branch.txId,
          branchId: input.branch.branchId,
          code: input.code,
          discount,
          orderAmount: input.orderAmount,
        });
        return { discount, coupon: toProto(await requireCoupon(trx, input.code)) };
      },
      async (trx) => {
        const hold = await findHold(trx, input.branch);
        return { discount: hold?.discount ?? 0, coupon: toProto(await requireCoupon(trx, input.code)) };
      },
      { fingerprint: requestFingerprint(input) },
    );
    return { outcome, ...value };
  }

  /** Settles what a branch holds: the hold must be `expected`; the coupon moves from -> to. */
  const settle = settleRpcs(
    db,
    SETTLE,
    async ({ trx, ctx, branch, reason }, { expected, next, from, to, event }) => {
      const hold = await findHold(trx, branch, true);
      if (!hold || hold.state !== expected)
        throw new Error(
          `coupon hold of ${branch.txId}/${branch.branchId} is ${hold?.state ?? 'missing'}, expected ${expected}`,
        );
      const holder =
        to === 'AVAILABLE' ? null : { txId: branch.txId, branchId: branch.branchId, orderId: hold.orderId };
      if (!(await transition(trx, hold.code, from, to, holder, branch.txId))) {
        throw new Error(`coupon ${hold.code} is not ${from} by ${branch.txId}`);
      }
      await setHoldState(trx, branch, next, reason);
      await emitEvent(trx, ctx, 'coupon', hold.code, event, {
        orderId: hold.orderId,
        customerId: hold.customerId,
        txId: branch.txId,
        branchId: branch.branchId,
        code: hold.code,
        discount: hold.discount,
        reason,
      });
    },
    async (trx, branch) =>
      recordOf((await findHold(trx, branch))?.state, ['RESTORED', 'CANCELLED'], ['CONFIRMED']),
  );

  return {
    Quote: async (request) => {
      const input = validateQuote(request);
      const coupon = await requireCoupon(db, input.code);
      checkEligible(coupon.terms, coupon.state, input.customerId, input.orderAmount, Date.now());
      return { code: input.code, discount: computeDiscount(coupon.terms, input.orderAmount) };
    },
    Redeem: (request, ctx) => use(validateUse(request), ctx, 'saga'),
    TryLock: (request, ctx) => use(validateUse(request), ctx, 'tcc'),
    Restore: settle.compensate,
    Confirm: settle.confirm,
    Cancel: settle.cancel,
    GetCoupon: async (request) => toProto(await requireCoupon(db, validateGet(request))),
    IssueCoupon: async (request, ctx) => {
      const terms = validateIssue(request);
      return db.transaction(async (trx) => {
        if (await insertCoupon(trx, terms)) {
          const coupon = await requireCoupon(trx, terms.code);
          await emitEvent(trx, ctx, 'coupon', terms.code, 'CouponIssued', { ...toProto(coupon) });
          return toProto(coupon);
        }
        const existing = await requireCoupon(trx, terms.code);
        if (!sameTerms(existing.terms, terms)) throw new AlreadyExistsError('coupon', terms.code);
        return toProto(existing);
      });
    },
  };
}
