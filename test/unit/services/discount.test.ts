/** Coupon discount math and eligibility (pure). */
import { BusinessRejectionError } from '../../../services/rpc/errors';
import { checkEligible, computeDiscount, type CouponTerms } from '../../../services/coupon/discount';

const fixed: CouponTerms = {
  code: 'F',
  ownerCustomerId: '',
  discountType: 'FIXED',
  amountOff: 500,
  percentOff: 0,
  maxDiscount: 0,
  minOrderAmount: 0,
};
const percent: CouponTerms = {
  ...fixed,
  code: 'P',
  discountType: 'PERCENT',
  amountOff: 0,
  percentOff: 15,
  maxDiscount: 0,
};

test('FIXED takes amount_off, never more than the order', () => {
  expect(computeDiscount(fixed, 2000)).toBe(500);
  expect(computeDiscount(fixed, 300)).toBe(300);
});

test('PERCENT rounds down to the minor unit and honours the cap (0 = no cap)', () => {
  expect(computeDiscount(percent, 999)).toBe(149); // 149.85
  expect(computeDiscount(percent, 100_000)).toBe(15_000);
  expect(computeDiscount({ ...percent, maxDiscount: 1000 }, 100_000)).toBe(1000);
  expect(computeDiscount({ ...percent, percentOff: 100 }, 1234)).toBe(1234);
});

test('PERCENT stays exact near Number.MAX_SAFE_INTEGER (no float overflow)', () => {
  const amount = Number.MAX_SAFE_INTEGER;
  expect(computeDiscount({ ...percent, percentOff: 50 }, amount)).toBe(Number((BigInt(amount) * 50n) / 100n));
  expect(Number.isSafeInteger(computeDiscount({ ...percent, percentOff: 99 }, amount))).toBe(true);
});

function reason(fn: () => void): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof BusinessRejectionError ? `${err.reason}: ${err.message}` : String(err);
  }
  return undefined;
}

test('eligibility: state, owner, expiry (exclusive), minimum (inclusive)', () => {
  const now = Date.parse('2030-06-01T00:00:00Z');
  const owned = { ...fixed, ownerCustomerId: 'alice', minOrderAmount: 1000, expiresAt: now + 1 };
  expect(reason(() => checkEligible(owned, 'AVAILABLE', 'alice', 1000, now))).toBeUndefined();
  expect(reason(() => checkEligible(owned, 'USED', 'alice', 1000, now))).toMatch(
    /^COUPON_UNAVAILABLE: .*is USED/,
  );
  expect(reason(() => checkEligible(owned, 'FROZEN', 'alice', 1000, now))).toMatch(/is FROZEN/);
  expect(reason(() => checkEligible(owned, 'AVAILABLE', 'bob', 1000, now))).toMatch(/another customer/);
  expect(reason(() => checkEligible(owned, 'AVAILABLE', 'alice', 999, now))).toMatch(/at least 1000/);
  expect(reason(() => checkEligible(owned, 'AVAILABLE', 'alice', 1000, now + 1))).toMatch(/expired/);
  expect(reason(() => checkEligible(fixed, 'AVAILABLE', 'anyone', 1, now))).toBeUndefined();
});
