/**
 * The circuit breaker per service (activities/breakers.ts) through the activities' call path (grpcCall): opens on
 * transient failures over a window with a minimum volume, fails fast with a retryable CIRCUIT_OPEN naming the service
 * without calling, lets one probe through after the cool-down, closes on its answer; business rejections never count.
 * And the hedge: a second call after a delay, first success wins.
 */
import * as grpc from '@grpc/grpc-js';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { register } from 'prom-client';
import { CircuitOpenError, countsAsFailure, ServiceBreakers } from '../../../activities/breakers';
import { CIRCUIT_OPEN, grpcCall, HedgeBudget, hedged } from '../../../activities/grpc-call';
import type { BreakerConfig } from '../../../common/config';
import { parseBreakerStates } from '../../../services/rpc/breaker-state';

const SETTINGS: BreakerConfig = {
  enabled: true,
  failureRate: 0.5,
  windowMs: 10_000,
  minimumCalls: 5,
  cooldownMs: 200,
  watchUrls: [],
};

function serviceError(code: grpc.status, meta: Record<string, string> = {}): grpc.ServiceError {
  const metadata = new grpc.Metadata();
  for (const [key, value] of Object.entries(meta)) metadata.set(key, value);
  return Object.assign(new Error(grpc.status[code]), { code, details: grpc.status[code], metadata });
}
const unavailable = () => serviceError(grpc.status.UNAVAILABLE);
const outOfStock = () =>
  serviceError(grpc.status.FAILED_PRECONDITION, { 'dtx-reason': 'INSUFFICIENT_STOCK' });

/** One activity call of inventory.TryReserve through the breakers; resolves with the failure (or 'ok'). */
async function callThrough(
  breakers: ServiceBreakers,
  answer: () => Promise<unknown>,
): Promise<ApplicationFailure | 'ok'> {
  const env = new MockActivityEnvironment();
  try {
    await env.run(() => grpcCall('inventory.TryReserve', answer, { breakers, hedgeAfterMs: 0 }));
    return 'ok';
  } catch (failure) {
    if (failure instanceof ApplicationFailure) return failure;
    throw failure;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('which failures count: the service not answering, never a business answer', () => {
  expect(countsAsFailure(serviceError(grpc.status.UNAVAILABLE))).toBe(true);
  expect(countsAsFailure(serviceError(grpc.status.DEADLINE_EXCEEDED))).toBe(true);
  expect(countsAsFailure(serviceError(grpc.status.RESOURCE_EXHAUSTED))).toBe(true);
  expect(countsAsFailure(outOfStock())).toBe(false);
  expect(countsAsFailure(serviceError(grpc.status.INVALID_ARGUMENT))).toBe(false);
  expect(countsAsFailure(serviceError(grpc.status.NOT_FOUND))).toBe(false);
  expect(countsAsFailure(serviceError(grpc.status.CANCELLED))).toBe(false);
});

test('a breaker never opens on business rejections, however many', async () => {
  const breakers = new ServiceBreakers(SETTINGS);
  let calls = 0;
  for (let i = 0; i < 50; i++) {
    const failure = await callThrough(breakers, () => {
      calls++;
      return Promise.reject(outOfStock());
    });
    expect(failure).toMatchObject({ type: 'INSUFFICIENT_STOCK', nonRetryable: true });
  }
  expect(calls).toBe(50);
  expect(breakers.snapshot()).toEqual({
    order: 'closed',
    inventory: 'closed',
    coupon: 'closed',
    payment: 'closed',
  });
});

test('below the minimum volume transient failures do not open it', async () => {
  const breakers = new ServiceBreakers(SETTINGS);
  for (let i = 0; i < SETTINGS.minimumCalls - 1; i++)
    await callThrough(breakers, () => Promise.reject(unavailable()));
  expect(breakers.state('inventory')).toBe('closed');
});

test('opens on transient failures, fails fast with CIRCUIT_OPEN (inventory) without calling, probes once, closes', async () => {
  // a cool-down longer than the open phase below takes (a mock activity run costs a few ms)
  const settings = { ...SETTINGS, cooldownMs: 1_500 };
  const breakers = new ServiceBreakers(settings);
  let calls = 0;
  const down = () => {
    calls++;
    return Promise.reject(unavailable());
  };
  for (let i = 0; i < SETTINGS.minimumCalls; i++) await callThrough(breakers, down);
  expect(breakers.state('inventory')).toBe('open');
  expect(breakers.state('payment')).toBe('closed'); // per service

  // open: no call reaches the service; a retryable CIRCUIT_OPEN that names it
  const before = calls;
  for (let i = 0; i < 20; i++) {
    const failure = await callThrough(breakers, down);
    expect(failure).toMatchObject({ type: CIRCUIT_OPEN, nonRetryable: false });
    expect((failure as ApplicationFailure).message).toMatch(
      /^CIRCUIT_OPEN \(inventory\): inventory\.TryReserve not sent/,
    );
  }
  expect(calls).toBe(before);
  const metrics = await register.metrics();
  expect(parseBreakerStates(metrics).inventory).toBe('open');
  expect(metrics).toMatch(/dtx_breaker_transitions_total\{service="inventory",to="open"\} [1-9]/);

  // cool-down over: one probe; still failing → open again, the probe was the only call
  await sleep(settings.cooldownMs + 20);
  await Promise.all([callThrough(breakers, down), callThrough(breakers, down), callThrough(breakers, down)]);
  expect(calls).toBe(before + 1);
  expect(breakers.state('inventory')).toBe('open');

  // the service is back: the probe succeeds and closes the breaker, calls flow again
  await sleep(settings.cooldownMs + 20);
  expect(await callThrough(breakers, () => Promise.resolve({}))).toBe('ok');
  expect(breakers.state('inventory')).toBe('closed');
  expect(await callThrough(breakers, () => Promise.resolve({}))).toBe('ok');
  expect(parseBreakerStates(await register.metrics()).inventory).toBe('closed');
});

test('a business answer to the probe closes the breaker too (the service is up)', async () => {
  const breakers = new ServiceBreakers(SETTINGS);
  for (let i = 0; i < SETTINGS.minimumCalls; i++)
    await callThrough(breakers, () => Promise.reject(unavailable()));
  expect(breakers.state('inventory')).toBe('open');
  await sleep(SETTINGS.cooldownMs + 20);
  expect(await callThrough(breakers, () => Promise.reject(outOfStock()))).toMatchObject({
    type: 'INSUFFICIENT_STOCK',
  });
  expect(breakers.state('inventory')).toBe('closed');
});

test('disabled: calls always go out', async () => {
  const breakers = new ServiceBreakers({ ...SETTINGS, enabled: false });
  let calls = 0;
  for (let i = 0; i < 30; i++)
    await callThrough(breakers, () => {
      calls++;
      return Promise.reject(unavailable());
    });
  expect(calls).toBe(30);
});

test('CircuitOpenError names the service and the call', () => {
  expect(new CircuitOpenError('payment', 'payment.Cancel', 5000).message).toMatch(
    /^CIRCUIT_OPEN \(payment\): payment\.Cancel not sent/,
  );
});

describe('hedged', () => {
  test('a slow first call: the hedge answers, the first success wins', async () => {
    let sent = 0;
    const started = Date.now();
    const value = await hedged(() => {
      sent++;
      return sent === 1
        ? new Promise<string>((resolve) => setTimeout(() => resolve('first'), 1_000))
        : Promise.resolve('hedge');
    }, 50);
    expect(value).toBe('hedge');
    expect(sent).toBe(2);
    expect(Date.now() - started).toBeLessThan(500);
  });

  test('a fast answer sends no hedge', async () => {
    let sent = 0;
    await expect(hedged(() => Promise.resolve(++sent), 50)).resolves.toBe(1);
    await sleep(80);
    expect(sent).toBe(1);
  });

  test('a failure before the hedge delay fails at once (the workflow retries)', async () => {
    let sent = 0;
    await expect(
      hedged(() => {
        sent++;
        return Promise.reject(unavailable());
      }, 50),
    ).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
    await sleep(80);
    expect(sent).toBe(1);
  });

  test('the budget caps the hedges when every call is slow (a saturated system is not sent twice the calls)', async () => {
    let sent = 0;
    const budget = new HedgeBudget(10, 2);
    const slowFirst = () => {
      sent++;
      return new Promise<string>((resolve) => setTimeout(() => resolve('answer'), 100));
    };
    const values = await Promise.all(Array.from({ length: 20 }, () => hedged(slowFirst, 10, budget)));
    expect(values).toEqual(Array.from({ length: 20 }, () => 'answer'));
    // 20 calls + the 2 saved-up hedges; without the budget all 20 would have been hedged (40)
    expect(sent).toBe(22);
    // 10 more calls earn one hedge back
    for (let i = 0; i < 10; i++) budget.earn();
    expect(budget.spend()).toBe(true);
    expect(budget.spend()).toBe(false);
  });

  test('both fail: a business rejection wins over a transient failure', async () => {
    let sent = 0;
    await expect(
      hedged(() => {
        sent++;
        return sent === 1
          ? new Promise((_, reject) => setTimeout(() => reject(unavailable()), 100))
          : Promise.reject(outOfStock());
      }, 20),
    ).rejects.toMatchObject({ code: grpc.status.FAILED_PRECONDITION });
  });
});
