import { DtxError } from '../../../api/operations/errors';
import { buildTransactionsQuery, decodePageToken, encodePageToken } from '../../../api/operations/visibility';
import type { TxStatus } from '../../../workflows/names';

const TYPES = "WorkflowType IN ('placeOrderSaga', 'placeOrderTcc')";

describe('buildTransactionsQuery', () => {
  test('without a filter: every dtx transaction', () => {
    expect(buildTransactionsQuery({})).toBe(TYPES);
  });
  test('filters by the search attributes, ANDed', () => {
    expect(buildTransactionsQuery({ status: 'COMPENSATED', mode: 'tcc', customerId: 'alice' })).toBe(
      `${TYPES} AND TxStatus = 'COMPENSATED' AND TxMode = 'tcc' AND CustomerId = 'alice'`,
    );
  });
  test('quotes cannot break out of a literal', () => {
    expect(buildTransactionsQuery({ customerId: "x' OR CustomerId != '" })).toBe(
      `${TYPES} AND CustomerId = 'x\\' OR CustomerId != \\''`,
    );
  });
  test('an unknown status is a bad request', () => {
    expect(() => buildTransactionsQuery({ status: 'DONE' as TxStatus })).toThrow(DtxError);
  });
});

describe('page tokens', () => {
  test('round-trip Temporal binary tokens as URL-safe base64', () => {
    const token = new Uint8Array([0, 1, 2, 250, 251, 252, 253, 254, 255]);
    const encoded = encodePageToken(token);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Array.from(decodePageToken(encoded) ?? [])).toEqual(Array.from(token));
  });
  test('no token: no next page', () => {
    expect(encodePageToken(undefined)).toBeUndefined();
    expect(encodePageToken(new Uint8Array())).toBeUndefined();
    expect(decodePageToken(undefined)).toBeUndefined();
  });
  test('a token that is not base64url names pageToken', () => {
    try {
      decodePageToken('not a token!');
      throw new Error('expected a failure');
    } catch (error) {
      expect(error).toBeInstanceOf(DtxError);
      expect((error as DtxError).fields).toEqual([{ path: 'pageToken', message: 'not a page token' }]);
    }
  });
});
