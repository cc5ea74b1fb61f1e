/** Input validation of the coupon RPCs (INVALID_ARGUMENT naming the field). */
import type { CouponQuoteRequest__Output } from '../../proto/gen/dtx/v1/CouponQuoteRequest';
import type { CouponUseRequest__Output } from '../../proto/gen/dtx/v1/CouponUseRequest';
import type { GetCouponRequest__Output } from '../../proto/gen/dtx/v1/GetCouponRequest';
import type { IssueCouponRequest__Output } from '../../proto/gen/dtx/v1/IssueCouponRequest';
import type { BranchKey } from '../barrier';
import { InvalidArgumentError } from '../rpc/errors';
import { money, optionalId, requireBranch, requireId } from '../lib/validate';
import type { CouponTerms } from './discount';

// RFC 3339 with a zone, e.g. 2030-01-01T00:00:00Z or 2030-01-01T00:00:00.000+02:00
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

export function validateIssue(request: IssueCouponRequest__Output): CouponTerms {
  const code = requireId(request.code, 'code');
  const ownerCustomerId = optionalId(request.ownerCustomerId, 'owner_customer_id');
  const type = request.discountType;
  if (type !== 'FIXED' && type !== 'PERCENT')
    throw new InvalidArgumentError('discount_type', 'must be FIXED or PERCENT');
  let amountOff = 0;
  let percentOff = 0;
  let maxDiscount = 0;
  if (type === 'FIXED') {
    amountOff = money(request.amountOff, 'amount_off');
    if (request.percentOff !== 0)
      throw new InvalidArgumentError('percent_off', 'must be 0 for a FIXED coupon');
    if (request.maxDiscount !== 0)
      throw new InvalidArgumentError('max_discount', 'must be 0 for a FIXED coupon');
  } else {
    if (!Number.isInteger(request.percentOff) || request.percentOff < 1 || request.percentOff > 100) {
      throw new InvalidArgumentError('percent_off', 'must be 1..100');
    }
    percentOff = request.percentOff;
    maxDiscount = money(request.maxDiscount, 'max_discount', { allowZero: true });
    if (request.amountOff !== 0)
      throw new InvalidArgumentError('amount_off', 'must be 0 for a PERCENT coupon');
  }
  const minOrderAmount = money(request.minOrderAmount, 'min_order_amount', { allowZero: true });
  let expiresAt: number | undefined;
  if (request.expiresAt !== '') {
    expiresAt = Date.parse(request.expiresAt);
    if (request.expiresAt.length > 40 || !RFC3339.test(request.expiresAt) || Number.isNaN(expiresAt)) {
      throw new InvalidArgumentError(
        'expires_at',
        'must be an RFC 3339 timestamp, e.g. 2030-01-01T00:00:00Z',
      );
    }
  }
  return {
    code,
    ownerCustomerId,
    discountType: type,
    amountOff,
    percentOff,
    maxDiscount,
    minOrderAmount,
    expiresAt,
  };
}

export interface ValidUse {
  branch: BranchKey;
  code: string;
  customerId: string;
  orderId: string;
  orderAmount: number;
}

export function validateUse(request: CouponUseRequest__Output): ValidUse {
  return {
    branch: requireBranch(request.branch),
    code: requireId(request.code, 'code'),
    customerId: requireId(request.customerId, 'customer_id'),
    orderId: requireId(request.orderId, 'order_id'),
    orderAmount: money(request.orderAmount, 'order_amount'),
  };
}

export function validateQuote(request: CouponQuoteRequest__Output): {
  code: string;
  customerId: string;
  orderAmount: number;
} {
  return {
    code: requireId(request.code, 'code'),
    customerId: requireId(request.customerId, 'customer_id'),
    orderAmount: money(request.orderAmount, 'order_amount'),
  };
}

export function validateGet(request: GetCouponRequest__Output): string {
  return requireId(request.code, 'code');
}
