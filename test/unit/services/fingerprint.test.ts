/** requestFingerprint: what makes two forward requests the same (the barrier refuses a repeat that is not). */
import { requestFingerprint } from '../../../services/lib/fingerprint';

const branch = { txId: 't', branchId: 'inventory' };
const items = [
  { sku: 'A', quantity: 1 },
  { sku: 'B', quantity: 2 },
];

test('the branch, key order and item order are not part of it', () => {
  const base = requestFingerprint({ branch, orderId: 'o', items });
  expect(
    requestFingerprint({ items: [...items].reverse(), orderId: 'o', branch: { ...branch, txId: 'u' } }),
  ).toBe(base);
});

test('any field of the request is', () => {
  const base = requestFingerprint({ branch, orderId: 'o', items });
  expect(requestFingerprint({ branch, orderId: 'p', items })).not.toBe(base);
  expect(requestFingerprint({ branch, orderId: 'o', items: [items[0], { sku: 'B', quantity: 3 }] })).not.toBe(
    base,
  );
  expect(requestFingerprint({ branch, orderId: 'o', items: [items[0]] })).not.toBe(base);
  expect(requestFingerprint({ branch, orderId: 'o', items, couponCode: 'X' })).not.toBe(base);
});

test('an absent optional field and an undefined one are the same request', () => {
  expect(requestFingerprint({ branch, orderId: 'o', couponCode: undefined })).toBe(
    requestFingerprint({ branch, orderId: 'o' }),
  );
});
