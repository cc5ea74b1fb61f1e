import {
  canonicalOrderRequest,
  orderIdFor,
  orderRequestHash,
  uuidV5,
} from '../../../api/operations/idempotency';

describe('uuidV5', () => {
  test('matches the RFC 4122 reference vector (DNS namespace, "python.org")', () => {
    expect(uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '886313e1-3b8a-5372-9b90-0c9aee199e5d',
    );
  });
  test('rejects a namespace that is not a UUID', () => {
    expect(() => uuidV5('x', 'not-a-uuid')).toThrow(/namespace/);
  });
});

describe('orderIdFor', () => {
  test('is stable for the same customer and key', () => {
    expect(orderIdFor('alice', 'k-1')).toBe(orderIdFor('alice', 'k-1'));
    expect(orderIdFor('alice', 'k-1')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
  test('keys are scoped per customer, and the parts cannot be shifted into each other', () => {
    expect(orderIdFor('alice', 'k-1')).not.toBe(orderIdFor('bob', 'k-1'));
    expect(orderIdFor('a', 'b:c')).not.toBe(orderIdFor('a:b', 'c'));
  });
  test('without a key every call is a new order', () => {
    expect(orderIdFor('alice', undefined)).not.toBe(orderIdFor('alice', undefined));
  });
});

describe('orderRequestHash', () => {
  const base = {
    customerId: 'alice',
    items: [
      { sku: 'A', quantity: 1 },
      { sku: 'B', quantity: 2 },
    ],
    mode: 'saga',
  };

  test('the order of the items does not matter', () => {
    expect(orderRequestHash({ ...base, items: [...base.items].reverse() })).toBe(orderRequestHash(base));
  });
  test('every field matters: quantity, SKU, coupon, mode, customer', () => {
    const hashes = [
      orderRequestHash(base),
      orderRequestHash({
        ...base,
        items: [
          { sku: 'A', quantity: 2 },
          { sku: 'B', quantity: 2 },
        ],
      }),
      orderRequestHash({
        ...base,
        items: [
          { sku: 'A', quantity: 1 },
          { sku: 'C', quantity: 2 },
        ],
      }),
      orderRequestHash({ ...base, couponCode: 'SAVE' }),
      orderRequestHash({ ...base, mode: 'tcc' }),
      orderRequestHash({ ...base, customerId: 'bob' }),
    ];
    expect(new Set(hashes).size).toBe(hashes.length);
  });
  test('the canonical form keeps the item fields (a replacer list would drop them)', () => {
    expect(canonicalOrderRequest(base)).toBe(
      '{"customerId":"alice","items":[{"sku":"A","quantity":1},{"sku":"B","quantity":2}],"mode":"saga"}',
    );
    expect(canonicalOrderRequest({ ...base, couponCode: 'X' }).startsWith('{"couponCode":"X",')).toBe(true);
  });
  test('extra properties of an item do not leak into the hash', () => {
    const withExtra = { ...base, items: base.items.map((i) => ({ ...i, note: 'ignored' })) };
    expect(orderRequestHash(withExtra)).toBe(orderRequestHash(base));
  });
});
