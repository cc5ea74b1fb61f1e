/** Pure coupon rules: the discount a coupon gives on an amount, and whether it may be used now (unit-tested). */
import { BusinessRejectionError } from '../rpc/errors';

export interface CouponTerms {
  code: string;
  ownerCustomerId: string;
  discountType: 'FIXED' | 'PERCENT';
  amountOff: number;
  percentOff: number;
  /** PERCENT cap in minor units; 0 = no cap */
  maxDiscount: number;
  minOrderAmount: number;
  /** epoch ms; undefined = never expires */
  expiresAt?: number;
}

/** The discount on `orderAmount`: FIXED min(amount_off, amount); PERCENT floor(amount x pct / 100) capped; never above the amount. */
export function computeDiscount(terms: CouponTerms, orderAmount: number): number {
  let discount: number;
  if (terms.discountType === 'FIXED') {
    discount = terms.amountOff;
  } else {
    // BigInt: amount x percent may pass 2^53 even when both fit
    discount = Number((BigInt(orderAmount) * BigInt(terms.percentOff)) / 100n);
    if (terms.maxDiscount > 0) discount = Math.min(discount, terms.maxDiscount);
  }
  return Math.min(discount, orderAmount);
}

/** Throws COUPON_UNAVAILABLE (with why) unless `customerId` may use the coupon on `orderAmount` at `now`. */
export function checkEligible(
  terms: CouponTerms,
  state: string,
  customerId: string,
  orderAmount: number,
  now: number,
): void {
  const refuse = (why: string): never => {
    throw new BusinessRejectionError('COUPON_UNAVAILABLE', `coupon ${terms.code} ${why}`);
  };
  if (state !== 'AVAILABLE') refuse(`is ${state}`);
  if (terms.ownerCustomerId !== '' && terms.ownerCustomerId !== customerId)
    refuse('belongs to another customer');
  if (terms.expiresAt !== undefined && terms.expiresAt <= now) refuse('has expired');
  if (orderAmount < terms.minOrderAmount) refuse(`needs an order of at least ${terms.minOrderAmount}`);
}
