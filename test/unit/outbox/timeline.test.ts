/** Decoding relayed messages and deciding which order an event belongs to. */
import type { KafkaMessage } from 'kafkajs';
import { decodeEvent } from '../../../outbox/inbox/event';
import { orderIdOf } from '../../../timeline/project';

function message(headers: Record<string, string>, value: unknown, offset = '7'): KafkaMessage {
  return {
    key: Buffer.from(headers['aggregate-id'] ?? ''),
    value: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
    timestamp: '1767225600000',
    attributes: 0,
    offset,
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v)])),
  };
}

describe('decodeEvent', () => {
  test('reads the relay headers and the JSON payload', () => {
    const event = decodeEvent(
      'dtx.payment.events',
      2,
      message(
        {
          'event-id': 'e1',
          'event-type': 'PaymentCharged',
          'aggregate-type': 'payment',
          'aggregate-id': 'c1',
          'tx-id': 'order-o1',
          'occurred-at': '2026-01-02T03:04:05.000Z',
        },
        { orderId: 'o1', amount: 100 },
      ),
    );
    expect(event).toMatchObject({
      eventId: 'e1',
      eventType: 'PaymentCharged',
      aggregateType: 'payment',
      aggregateId: 'c1',
      txId: 'order-o1',
      occurredAt: new Date('2026-01-02T03:04:05.000Z'),
      payload: { orderId: 'o1', amount: 100 },
      topic: 'dtx.payment.events',
      partition: 2,
      offset: '7',
    });
  });
  test('reads aggregate-version as a bigint; absent or malformed means none', () => {
    const versioned = decodeEvent('t', 0, message({ 'aggregate-version': '9007199254740993' }, {}));
    expect(versioned.aggregateVersion).toBe(9007199254740993n);
    expect(decodeEvent('t', 0, message({}, {})).aggregateVersion).toBeUndefined();
    expect(decodeEvent('t', 0, message({ 'aggregate-version': 'x1' }, {})).aggregateVersion).toBeUndefined();
  });
  test('without an event-id the position is the identity; non-JSON stays a string', () => {
    const event = decodeEvent('t', 0, message({}, 'not json', '42'));
    expect(event.eventId).toBe('t/0/42');
    expect(event.payload).toBe('not json');
    expect(event.occurredAt).toEqual(new Date(1767225600000));
  });
});

describe('orderIdOf', () => {
  const base = decodeEvent('t', 0, message({ 'event-id': 'e' }, {}));
  test('payload orderId first, then an order aggregate id, then the tx id', () => {
    expect(
      orderIdOf({ ...base, aggregateType: 'inventory', aggregateId: 'sku-1', payload: { orderId: 'o1' } }),
    ).toBe('o1');
    expect(orderIdOf({ ...base, aggregateType: 'order', aggregateId: 'o2', payload: {} })).toBe('o2');
    expect(
      orderIdOf({ ...base, aggregateType: 'coupon', aggregateId: 'SAVE', payload: {}, txId: 'order-o3' }),
    ).toBe('o3');
    expect(
      orderIdOf({ ...base, aggregateType: 'inventory', aggregateId: 'sku-1', payload: { sku: 'sku-1' } }),
    ).toBeUndefined();
  });
});
