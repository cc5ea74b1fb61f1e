/** Pure parts of the relay: backoff, error classification, message shape, grouping, fault rule parsing. */
import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { ConfigError } from '../../../common/config';
import { retryDelayMs } from '../../../workers/relay/backoff';
import {
  ClaimSweep,
  compareDeliveryOrder,
  type AggregateKey,
  type Claim,
} from '../../../workers/relay/claim';
import { classifySendError, describeError } from '../../../workers/relay/errors';
import { parseRelayFaults } from '../../../workers/relay/faults';
import { groupByAggregate, toKafkaMessage, toTopicMessages } from '../../../outbox/messages';
import type { OutboxRow } from '../../../outbox/types';

function row(overrides: Partial<OutboxRow> = {}): OutboxRow {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    seq: '1',
    txid: '100',
    aggregateType: 'order',
    aggregateId: 'o-1',
    aggregateVersion: '0',
    eventType: 'OrderCreated',
    payloadJson: '{"orderId": "o-1"}',
    headers: {},
    createdAt: new Date('2026-01-01T00:00:00Z'),
    attempts: 0,
    ...overrides,
  };
}

describe('retryDelayMs', () => {
  test('doubles per attempt; full jitter: anywhere in [1 ms, the capped delay]', () => {
    expect(retryDelayMs(1, 100, 10_000, () => 0)).toBe(1);
    expect(retryDelayMs(1, 100, 10_000, () => 1)).toBe(100);
    expect(retryDelayMs(4, 100, 10_000, () => 1)).toBe(800);
    expect(retryDelayMs(4, 100, 10_000, () => 0.5)).toBe(400);
  });
  test('is capped', () => {
    expect(retryDelayMs(50, 100, 10_000, () => 1)).toBe(10_000);
    expect(retryDelayMs(1000, 100, 10_000, () => 0.5)).toBe(5000);
  });
  test('rows that failed together retry spread out, not at once', () => {
    const delays = Array.from({ length: 200 }, () => retryDelayMs(3, 500, 60_000));
    expect(new Set(delays.map((d) => Math.floor(d / 200))).size).toBeGreaterThanOrEqual(9); // 10 buckets in [0, 2 s]
    expect(Math.min(...delays)).toBeLessThan(500);
  });
});

describe('compareDeliveryOrder', () => {
  test('orders by aggregate version, then txid, then seq, numerically (not as text)', () => {
    const rows = [
      row({ aggregateVersion: '10', txid: '5', seq: '1' }),
      row({ aggregateVersion: '9', txid: '100001', seq: '5' }),
      row({ aggregateVersion: '0', txid: '100001', seq: '3' }),
      row({ aggregateVersion: '0', txid: '99999', seq: '9' }),
    ];
    expect(rows.sort(compareDeliveryOrder).map((r) => `${r.aggregateVersion}/${r.txid}/${r.seq}`)).toEqual([
      '0/99999/9',
      '0/100001/3',
      '9/100001/5',
      '10/5/1',
    ]);
  });
});

describe('ClaimSweep', () => {
  const key = (aggregateId: string): AggregateKey => ({ aggregateType: 'order', aggregateId });
  const claim = (rows: number, resumeAfter?: AggregateKey): Claim => ({
    rows: Array.from({ length: rows }, () => row()),
    resumeAfter,
  });

  test('continues after the last position, starts over at the end, idles only after a whole empty sweep', () => {
    const sweep = new ClaimSweep();
    expect(sweep.after).toBeUndefined();
    expect(sweep.advance(claim(3, key('b')))).toBe(true);
    expect(sweep.after).toEqual(key('b'));
    // nothing claimable after b, but the walk stopped at its limit: go on from there
    expect(sweep.advance(claim(0, key('k')))).toBe(true);
    expect(sweep.after).toEqual(key('k'));
    // the end: this sweep claimed rows, so a new one starts from the first aggregate
    expect(sweep.advance(claim(0))).toBe(true);
    expect(sweep.after).toBeUndefined();
    // a whole sweep without rows: idle
    expect(sweep.advance(claim(0))).toBe(false);
    expect(sweep.after).toBeUndefined();
  });

  test('claims of lanes sharing a sweep take turns, each from where the previous stopped', async () => {
    const sweep = new ClaimSweep();
    const seen: (string | undefined)[] = [];
    let release: () => void = () => undefined;
    const first = sweep.next(async (after) => {
      seen.push(after?.aggregateId);
      await new Promise<void>((resolve) => (release = resolve));
      return claim(2, key('m'));
    });
    const second = sweep.next((after) => {
      seen.push(after?.aggregateId);
      return Promise.resolve(claim(1, key('t')));
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual([undefined]);
    release();
    await expect(first).resolves.toMatchObject({ more: true });
    await expect(second).resolves.toMatchObject({ more: true });
    expect(seen).toEqual([undefined, 'm']);
    // a failed claim does not stop the turns
    await expect(sweep.next(() => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    await expect(sweep.next((after) => Promise.resolve(claim(0, after)))).resolves.toMatchObject({
      more: true,
    });
  });
});

/** kafkajs builds protocol errors from its error-code table entry; its typings only admit an Error or a string. */
function protocolError(type: string, code: number, retriable: boolean): KafkaJSProtocolError {
  return new KafkaJSProtocolError({ type, code, retriable, message: type.toLowerCase() } as unknown as Error);
}

describe('classifySendError', () => {
  const tooLarge = protocolError('MESSAGE_TOO_LARGE', 10, false);
  test('a record the broker refuses is the row’s fault', () => {
    expect(classifySendError(tooLarge)).toBe('rejected');
    expect(classifySendError(new TypeError('cannot encode'))).toBe('rejected');
  });
  test('an unreachable or struggling broker is not', () => {
    expect(classifySendError(new KafkaJSConnectionError('Connection error: ECONNREFUSED'))).toBe(
      'unavailable',
    );
    const notLeader = protocolError('NOT_LEADER_FOR_PARTITION', 6, true);
    expect(
      classifySendError(new KafkaJSNumberOfRetriesExceeded(notLeader, { retryCount: 3, retryTime: 1000 })),
    ).toBe('unavailable');
    const fenced = protocolError('OUT_OF_ORDER_SEQUENCE_NUMBER', 45, false);
    expect(classifySendError(fenced)).toBe('unavailable');
  });
  test('describeError names the error type', () => {
    expect(describeError(tooLarge)).toContain('MESSAGE_TOO_LARGE');
  });
});

describe('toKafkaMessage', () => {
  test('key = aggregate id, the documented headers, the row’s own headers carried over', () => {
    const message = toKafkaMessage(
      row({ headers: { 'tx-id': 'order-o-1', traceparent: '00-abc-def-01', 'event-id': 'spoofed' } }),
    );
    expect(message.key).toBe('o-1');
    expect(JSON.parse(String(message.value))).toEqual({ orderId: 'o-1' });
    expect(message.headers).toEqual({
      'event-id': '00000000-0000-4000-8000-000000000001',
      'event-type': 'OrderCreated',
      'aggregate-type': 'order',
      'aggregate-id': 'o-1',
      'tx-id': 'order-o-1',
      traceparent: '00-abc-def-01',
      'occurred-at': '2026-01-01T00:00:00.000Z',
    });
  });
  test('the aggregate version travels as aggregate-version; none for rows written without one', () => {
    expect(toKafkaMessage(row({ aggregateVersion: '42' })).headers).toMatchObject({
      'aggregate-version': '42',
    });
    expect(toKafkaMessage(row({ aggregateVersion: '0' })).headers).not.toHaveProperty('aggregate-version');
  });
  test('topic per aggregate type, rows kept in order', () => {
    const rows = [
      row({ id: 'a', aggregateType: 'order' }),
      row({ id: 'b', aggregateType: 'payment' }),
      row({ id: 'c', aggregateType: 'order' }),
    ];
    const eventIds = (prefix: string) =>
      toTopicMessages(rows, prefix).map((t) => [
        t.topic,
        t.messages.map((m) => (m.headers as Record<string, string>)['event-id']),
      ]);
    expect(eventIds('')).toEqual([
      ['dtx.order.events', ['a', 'c']],
      ['dtx.payment.events', ['b']],
    ]);
    // DTX_KAFKA_PREFIX (npm test's `test.`) goes before every topic
    expect(eventIds('test.')).toEqual([
      ['test.dtx.order.events', ['a', 'c']],
      ['test.dtx.payment.events', ['b']],
    ]);
  });
  test('groupByAggregate keeps each aggregate’s rows in order', () => {
    const rows = [
      row({ id: '1', aggregateId: 'x' }),
      row({ id: '2', aggregateId: 'y' }),
      row({ id: '3', aggregateId: 'x' }),
    ];
    expect(groupByAggregate(rows).map((g) => g.map((r) => r.id))).toEqual([['1', '3'], ['2']]);
  });
});

describe('parseRelayFaults', () => {
  test('ignores the services’ rules and rejects unknown relay rules', () => {
    expect(() => parseRelayFaults('payment.Charge=unavailable:0.3')).not.toThrow();
    expect(() => parseRelayFaults('relay.afterSend=explode:1')).toThrow(ConfigError);
    expect(() => parseRelayFaults('relay.afterSend=crash:2')).toThrow(/DTX_FAULTS/);
  });
  test('a zero rate never fires', () => {
    const kill = jest.spyOn(process, 'kill').mockImplementation(() => true);
    try {
      parseRelayFaults('relay.afterSend=crash:0').afterSend();
      parseRelayFaults('').afterSend();
      expect(kill).not.toHaveBeenCalled();
      parseRelayFaults('relay.afterSend=crash:1').afterSend();
      expect(kill).toHaveBeenCalledWith(process.pid, 'SIGKILL');
    } finally {
      kill.mockRestore();
    }
  });
});
