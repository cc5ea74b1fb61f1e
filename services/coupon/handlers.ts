/** The CouponService RPCs: Quote, saga Redeem/Restore, TCC TryLock/Confirm/Cancel, GetCoupon, admin IssueCoupon. */
import type { Knex } from 'knex';
import type { CouponResult } from '../../proto/gen/dtx/v1/CouponResult';
import type { CouponServiceHandlers } from '../../proto/gen/dtx/v1/CouponService';
import { withBarrier, type BranchKey } from '../barrier';
import { branchCall } from '../lib/branch';
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

export function couponHandlers(db: Knex): Handlers<CouponServiceHandlers> {
  async function requireCoupon(trx: Knex, code: string, lock = false) {
    const coupon = await findCoupon(trx, code, lock);
    if (!coupon) throw new NotFoundError('coupon', code);
    return coupon;
  }

  /** Redeem (saga: AVAILABLE -> USED) or TryLock (tcc: AVAILABLE -> FROZEN) for this tx. */
  async function use(input: ValidUse, ctx: CallContext, mode: 'saga' | 'tcc'): Promise<CouponResult> {
    const [to, holdState, eventType]: [CouponState, HoldState, string] =
      mode === 'saga' ? ['USED', 'REDEEMED', 'CouponRedeemed'] : ['FROZEN', 'FROZEN', 'CouponFrozen'];
    const { outcome, value } = await withBarrier(
      db,
      input.branch,
      mode === 'saga' ? 'action' : 'try',
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
          state: holdState,
          mode,
        });
        await emitEvent(trx, ctx, 'coupon', input.code, eventType, {
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
    );
    return { outcome, ...value };
  }

  /** Settles what a branch holds: the hold must be `expected`; the coupon moves from -> to. */
  async function settle(
    trx: Knex.Transaction,
    ctx: CallContext,
    branch: BranchKey,
    expected: HoldState,
    next: HoldState,
    from: CouponState,
    to: CouponState,
    eventType: string,
    reason: string,
  ): Promise<void> {
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
    await emitEvent(trx, ctx, 'coupon', hold.code, eventType, {
      orderId: hold.orderId,
      customerId: hold.customerId,
      txId: branch.txId,
      branchId: branch.branchId,
      code: hold.code,
      discount: hold.discount,
      reason,
    });
  }

  return {
    Quote: async (request) => {
      const input = validateQuote(request);
      const coupon = await requireCoupon(db, input.code);
      checkEligible(coupon.terms, coupon.state, input.customerId, input.orderAmount, Date.now());
      return { code: input.code, discount: computeDiscount(coupon.terms, input.orderAmount) };
    },
    Redeem: (request, ctx) => use(validateUse(request), ctx, 'saga'),
    TryLock: (request, ctx) => use(validateUse(request), ctx, 'tcc'),
    Restore: (request, ctx) =>
      branchCall(db, request, 'compensate', (trx, branch, reason) =>
        settle(trx, ctx, branch, 'REDEEMED', 'RESTORED', 'USED', 'AVAILABLE', 'CouponRestored', reason),
      ),
    Confirm: (request, ctx) =>
      branchCall(db, request, 'confirm', (trx, branch, reason) =>
        settle(trx, ctx, branch, 'FROZEN', 'CONFIRMED', 'FROZEN', 'USED', 'CouponConfirmed', reason),
      ),
    Cancel: (request, ctx) =>
      branchCall(db, request, 'cancel', (trx, branch, reason) =>
        settle(trx, ctx, branch, 'FROZEN', 'CANCELLED', 'FROZEN', 'AVAILABLE', 'CouponUnfrozen', reason),
      ),
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
