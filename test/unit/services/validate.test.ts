/** Input validators (pure): each failure is an InvalidArgumentError naming the field. */
import { InvalidArgumentError } from '../../../services/rpc/errors';
import { validateCreateOrder, validateListOrders, encodePageToken } from '../../../services/order/validate';
import { validateReserve } from '../../../services/inventory/validate';
import { validateIssue } from '../../../services/coupon/validate';
import {
  count,
  items,
  money,
  quantity,
  requireBranch,
  requireId,
  safeSum,
  text,
} from '../../../services/lib/validate';

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof InvalidArgumentError) return err.field;
    throw err;
  }
  return undefined;
}

test('ids: required, <= 128 printable ASCII characters, no spaces', () => {
  expect(requireId('order-42', 'order_id')).toBe('order-42');
  expect(fieldOf(() => requireId('', 'order_id'))).toBe('order_id');
  expect(fieldOf(() => requireId('x'.repeat(128), 'id'))).toBeUndefined();
  expect(fieldOf(() => requireId('x'.repeat(129), 'id'))).toBe('id');
  expect(fieldOf(() => requireId('a b', 'id'))).toBe('id');
  expect(fieldOf(() => requireId('caf\u00e9', 'id'))).toBe('id');
  expect(fieldOf(() => requireBranch(null))).toBe('branch');
  expect(fieldOf(() => requireBranch({ txId: 't', branchId: '' }))).toBe('branch.branch_id');
});

test('quantities: positive integers up to 1e6; fractions refused', () => {
  expect(quantity(3, 'q')).toBe(3);
  for (const bad of [0, -1, 1.5, 1_000_001, Number.NaN, Infinity])
    expect(fieldOf(() => quantity(bad, 'q'))).toBe('q');
});

test('money: safe integers; positive unless zero is allowed; fractions and > MAX_SAFE_INTEGER refused', () => {
  expect(money(1, 'amount')).toBe(1);
  expect(money(0, 'amount', { allowZero: true })).toBe(0);
  expect(money(Number.MAX_SAFE_INTEGER, 'amount')).toBe(Number.MAX_SAFE_INTEGER);
  for (const bad of [0, -1, 0.5, 10.01, Number.MAX_SAFE_INTEGER + 1, 2 ** 60])
    expect(fieldOf(() => money(bad, 'amount'))).toBe('amount');
  expect(fieldOf(() => money(-1, 'amount', { allowZero: true }))).toBe('amount');
  expect(fieldOf(() => count(-1, 'available'))).toBe('available');
  expect(fieldOf(() => count(2.5, 'available'))).toBe('available');
});

test('items: non-empty, at most 100, no duplicate SKU (named by index)', () => {
  expect(fieldOf(() => items([]))).toBe('items');
  expect(fieldOf(() => items(Array.from({ length: 101 }, (_, i) => ({ sku: `s${i}`, quantity: 1 }))))).toBe(
    'items',
  );
  expect(
    fieldOf(() => items(Array.from({ length: 100 }, (_, i) => ({ sku: `s${i}`, quantity: 1 })))),
  ).toBeUndefined();
  expect(
    fieldOf(() =>
      items([
        { sku: 'a', quantity: 1 },
        { sku: 'b', quantity: 1 },
        { sku: 'a', quantity: 2 },
      ]),
    ),
  ).toBe('items[2].sku');
  expect(fieldOf(() => items([{ sku: 'a', quantity: 0.5 }]))).toBe('items[0].quantity');
});

test('text and sums', () => {
  expect(fieldOf(() => text('r'.repeat(1001), 'reason'))).toBe('reason');
  expect(fieldOf(() => text('  ', 'name', { required: true }))).toBe('name');
  expect(safeSum([1, 2, 3], 'lines')).toBe(6);
  expect(fieldOf(() => safeSum([Number.MAX_SAFE_INTEGER, 1], 'lines'))).toBe('lines');
});

test('Reserve items come back sorted by SKU (the lock order)', () => {
  const valid = validateReserve({
    branch: { txId: 't', branchId: 'b' },
    orderId: 'o',
    items: [
      { sku: 'c', quantity: 1 },
      { sku: 'a', quantity: 1 },
      { sku: 'b', quantity: 1 },
    ],
  });
  expect(valid.items.map((i) => i.sku)).toEqual(['a', 'b', 'c']);
});

test('CreateOrder: totals computed from the lines; line_total optional but checked; discount <= subtotal', () => {
  const base = {
    branch: { txId: 't', branchId: 'order' },
    orderId: 'o',
    customerId: 'c',
    discount: 100,
    couponCode: '',
    txMode: 'saga',
  };
  const valid = validateCreateOrder({
    ...base,
    lines: [
      { sku: 'a', quantity: 2, unitPrice: 150, lineTotal: 0 },
      { sku: 'b', quantity: 1, unitPrice: 50, lineTotal: 50 },
    ],
  });
  expect([valid.subtotal, valid.discount, valid.total]).toEqual([350, 100, 250]);
  expect(
    fieldOf(() =>
      validateCreateOrder({ ...base, lines: [{ sku: 'a', quantity: 2, unitPrice: 150, lineTotal: 150 }] }),
    ),
  ).toBe('lines[0].line_total');
  expect(
    fieldOf(() =>
      validateCreateOrder({
        ...base,
        discount: 301,
        lines: [{ sku: 'a', quantity: 2, unitPrice: 150, lineTotal: 0 }],
      }),
    ),
  ).toBe('discount');
  expect(
    fieldOf(() =>
      validateCreateOrder({ ...base, lines: [{ sku: 'a', quantity: 1.5, unitPrice: 150, lineTotal: 0 }] }),
    ),
  ).toBe('lines[0].quantity');
  expect(
    fieldOf(() =>
      validateCreateOrder({ ...base, lines: [{ sku: 'a', quantity: 1, unitPrice: 1.25, lineTotal: 0 }] }),
    ),
  ).toBe('lines[0].unit_price');
});

test('ListOrders: page size default and range; page tokens round-trip, forged ones refused', () => {
  expect(validateListOrders({ customerId: 'c', pageSize: 0, pageToken: '' })).toEqual({
    customerId: 'c',
    pageSize: 20,
  });
  expect(validateListOrders({ customerId: 'c', pageSize: 5, pageToken: encodePageToken(42) })).toEqual({
    customerId: 'c',
    pageSize: 5,
    afterSeq: 42,
  });
  expect(fieldOf(() => validateListOrders({ customerId: 'c', pageSize: -1, pageToken: '' }))).toBe(
    'page_size',
  );
  expect(fieldOf(() => validateListOrders({ customerId: 'c', pageSize: 1, pageToken: 'garbage' }))).toBe(
    'page_token',
  );
});

test('IssueCoupon: FIXED vs PERCENT fields, RFC 3339 expiry', () => {
  const base = {
    code: 'C',
    ownerCustomerId: '',
    amountOff: 0,
    percentOff: 0,
    maxDiscount: 0,
    minOrderAmount: 0,
    expiresAt: '',
  };
  expect(
    validateIssue({
      ...base,
      discountType: 'PERCENT',
      percentOff: 10,
      expiresAt: '2030-01-01T00:00:00+02:00',
    }),
  ).toMatchObject({
    discountType: 'PERCENT',
    percentOff: 10,
    expiresAt: Date.parse('2029-12-31T22:00:00Z'),
  });
  expect(fieldOf(() => validateIssue({ ...base, discountType: 'DISCOUNT_TYPE_UNSPECIFIED' }))).toBe(
    'discount_type',
  );
  expect(fieldOf(() => validateIssue({ ...base, discountType: 'FIXED' }))).toBe('amount_off');
  expect(fieldOf(() => validateIssue({ ...base, discountType: 'PERCENT', percentOff: 0 }))).toBe(
    'percent_off',
  );
  expect(
    fieldOf(() => validateIssue({ ...base, discountType: 'PERCENT', percentOff: 5, amountOff: 5 })),
  ).toBe('amount_off');
  expect(
    fieldOf(() => validateIssue({ ...base, discountType: 'FIXED', amountOff: 5, expiresAt: '2030-01-01' })),
  ).toBe('expires_at');
  expect(
    fieldOf(() =>
      validateIssue({ ...base, discountType: 'FIXED', amountOff: 5, expiresAt: '2030-13-45T00:00:00Z' }),
    ),
  ).toBe('expires_at');
});
