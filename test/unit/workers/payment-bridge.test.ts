/** The payment bridge's reading of an event (issue 14) and the API's async-payment request rules, without servers. */
import { canonicalOrderRequest } from '../../../api/operations/idempotency';
import { validateOrderRequest } from '../../../api/operations/orders';
import type { InboxEvent } from '../../../outbox/inbox/event';
import { signalOf } from '../../../workers/payment-bridge/bridge';

function event(eventType: string, payload: unknown): InboxEvent {
  return {
    eventId: 'e-1',
    eventType,
    aggregateType: 'payment',
    aggregateId: 'c-1',
    occurredAt: new Date(0),
    headers: {},
    payload,
    topic: 'dtx.payment.events',
    partition: 0,
    offset: '7',
  };
}

describe('signalOf', () => {
  test('PaymentSucceeded / PaymentFailed become the paymentResult signal of their transaction', () => {
    expect(signalOf(event('PaymentSucceeded', { txId: 'order-1', branchId: 'payment', amount: 5 }))).toEqual({
      txId: 'order-1',
      signal: { result: 'SUCCEEDED', branchId: 'payment', eventId: 'e-1' },
    });
    expect(
      signalOf(event('PaymentFailed', { txId: 'order-1', branchId: 'payment', reason: 'card declined' })),
    ).toEqual({
      txId: 'order-1',
      signal: { result: 'DECLINED', branchId: 'payment', eventId: 'e-1', reason: 'card declined' },
    });
  });

  test('a malformed event names its problem', () => {
    expect(signalOf(event('PaymentSucceeded', 'not json'))).toEqual({
      problem: 'payload is not a JSON object',
    });
    expect(signalOf(event('PaymentSucceeded', [1]))).toEqual({ problem: 'payload is not a JSON object' });
    expect(signalOf(event('PaymentFailed', { branchId: 'payment' }))).toEqual({
      problem: 'payload.txId is missing',
    });
    expect(signalOf(event('PaymentFailed', { txId: 'order-1' }))).toEqual({
      problem: 'payload.branchId is missing',
    });
    expect(signalOf(event('PaymentCharged', {}))).toEqual({
      problem: 'event type "PaymentCharged" is not a payment result',
    });
  });
});

describe('async payment requests', () => {
  const body = { customerId: 'c-1', items: [{ sku: 'A', quantity: 1 }] };

  test('async needs mode saga; paymentTimeoutMs needs async', () => {
    expect(validateOrderRequest({ ...body, payment: 'async', paymentTimeoutMs: 5000 })).toMatchObject({
      mode: 'saga',
      payment: 'async',
      paymentTimeoutMs: 5000,
    });
    expect(() => validateOrderRequest({ ...body, mode: 'tcc', payment: 'async' })).toThrow(/needs mode saga/);
    expect(() => validateOrderRequest({ ...body, paymentTimeoutMs: 5000 })).toThrow(/needs payment "async"/);
    expect(() => validateOrderRequest({ ...body, payment: 'later' })).toThrow();
  });

  test('the request hash tells async from sync, and sync hashes as before', () => {
    const sync = canonicalOrderRequest({ ...body, mode: 'saga' });
    expect(canonicalOrderRequest({ ...body, mode: 'saga', payment: 'sync' })).toBe(sync);
    expect(sync).toBe('{"customerId":"c-1","items":[{"sku":"A","quantity":1}],"mode":"saga"}');
    expect(canonicalOrderRequest({ ...body, mode: 'saga', payment: 'async' })).not.toBe(sync);
  });
});
