/**
 * Degradation (api/operations/degradation.ts): a new order that needs a service whose breaker is open in the worker is
 * refused with 503 UNAVAILABLE, reason CIRCUIT_OPEN, naming the service — before anything is written; read cheaply
 * from the workers' /metrics (a snapshot refreshed in the background).
 */
import * as grpc from '@grpc/grpc-js';
import { ServiceBreakers } from '../../../activities/breakers';
import type { ServiceName } from '../../../common/config';
import { startOpsServer } from '../../../common/ops-server';
import {
  breakerGate,
  forwardServices,
  openServices,
  readBreakers,
} from '../../../api/operations/degradation';
import { DtxError, HTTP_STATUS } from '../../../api/operations/errors';
import type { BreakerState } from '../../../services/rpc/breaker-state';

type States = Partial<Record<ServiceName, BreakerState>>;
const CLOSED: States = { order: 'closed', inventory: 'closed', coupon: 'closed', payment: 'closed' };

async function refusal(promise: Promise<unknown>): Promise<DtxError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DtxError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

test('the services an order needs: coupon only with a coupon code', () => {
  expect(forwardServices({ customerId: 'c', items: [] })).toEqual(['order', 'inventory', 'payment']);
  expect(forwardServices({ couponCode: 'SAVE10' })).toEqual(['order', 'inventory', 'coupon', 'payment']);
});

test('open means open in every worker that answered; half-open and no answer admit', () => {
  const a = { url: 'a', states: { ...CLOSED, inventory: 'open' as const } };
  const b = { url: 'b', states: { ...CLOSED, inventory: 'half-open' as const } };
  expect(openServices([a])).toEqual(['inventory']);
  expect(openServices([a, b])).toEqual([]);
  expect(openServices([a, { url: 'c', error: 'connection refused' }])).toEqual(['inventory']);
  expect(openServices([{ url: 'c', error: 'connection refused' }])).toEqual([]);
});

test('an order that needs an open service: 503 CIRCUIT_OPEN naming it; others pass', async () => {
  let states: States = { ...CLOSED, coupon: 'open' };
  let fetches = 0;
  const gate = breakerGate(['http://worker'], {
    refreshMs: 60_000,
    retryAfterSeconds: 5,
    fetchStates: () => {
      fetches++;
      return Promise.resolve(states);
    },
  });
  const error = await refusal(gate.admit({ couponCode: 'SAVE10' }));
  expect(error.code).toBe('UNAVAILABLE');
  expect(HTTP_STATUS[error.code]).toBe(503);
  expect(error.reason).toBe('CIRCUIT_OPEN');
  // the HTTP answer's Retry-After, as the gate was told (the wiring passes the breaker's cool-down)
  expect(error.retryAfterSeconds).toBe(5);
  expect(error.message).toMatch(
    /^the coupon service is unavailable: the worker's circuit breaker for coupon is open/,
  );
  expect(error.message).toMatch(/nothing was started/);
  // without a coupon the order does not need the coupon service
  await expect(gate.admit({ customerId: 'c' })).resolves.toBeUndefined();
  // the snapshot serves every admission until it is old: one fetch so far
  states = CLOSED;
  await refusal(gate.admit({ couponCode: 'X' }));
  expect(fetches).toBe(1);
});

test('a stale snapshot is refreshed in the background; the next order sees the new state', async () => {
  let states: States = { ...CLOSED, payment: 'open' };
  const gate = breakerGate(['http://worker'], {
    refreshMs: 0,
    retryAfterSeconds: 5,
    fetchStates: () => Promise.resolve(states),
  });
  expect((await refusal(gate.admit({}))).message).toMatch(/the payment service is unavailable/);
  states = CLOSED;
  await refusal(gate.admit({})); // answered from the old snapshot, refresh started
  await new Promise((resolve) => setImmediate(resolve));
  await expect(gate.admit({})).resolves.toBeUndefined();
});

test('no worker answering admits (orders queue as before); no URLs: never consulted', async () => {
  const down = breakerGate(['http://127.0.0.1:1'], { refreshMs: 1_000, retryAfterSeconds: 5 });
  await expect(down.admit({})).resolves.toBeUndefined();
  const off = breakerGate([], {
    refreshMs: 1_000,
    retryAfterSeconds: 5,
    fetchStates: () => Promise.reject(new Error('must not be called')),
  });
  await expect(off.admit({})).resolves.toBeUndefined();
});

test('read from a real ops server: the worker breakers gauge through /metrics', async () => {
  const breakers = new ServiceBreakers({
    enabled: true,
    failureRate: 0.5,
    windowMs: 10_000,
    minimumCalls: 2,
    cooldownMs: 60_000,
    watchUrls: [],
  });
  const unavailable = Object.assign(new Error('down'), { code: grpc.status.UNAVAILABLE, details: 'down' });
  for (let i = 0; i < 3; i++)
    await breakers
      .execute('inventory', 'inventory.Quote', () => Promise.reject(unavailable))
      .catch(() => undefined);
  expect(breakers.state('inventory')).toBe('open');
  const ops = await startOpsServer({
    part: 'worker',
    host: '127.0.0.1',
    port: 0,
    portVariable: 'X',
    checks: {},
  });
  try {
    const [report] = await readBreakers([ops.url]);
    expect(report.states).toMatchObject({ inventory: 'open', order: 'closed', payment: 'closed' });
    const gate = breakerGate([ops.url], { refreshMs: 1_000, retryAfterSeconds: 5 });
    expect((await refusal(gate.admit({}))).message).toMatch(/^the inventory service is unavailable/);
  } finally {
    await ops.close();
  }
});

test('placeOrder asks the gate first: a refused order touches no dependency (no key, no order, no workflow)', async () => {
  const { placeOrder } = await import('../../../api/operations/orders');
  const { unreachableDeps } = await import('./support/unreachable-deps.fake');
  const gate = breakerGate(['http://worker'], {
    refreshMs: 60_000,
    retryAfterSeconds: 5,
    fetchStates: () => Promise.resolve({ ...CLOSED, inventory: 'open' }),
  });
  const deps = { ...unreachableDeps(), breakers: gate };
  const error = await refusal(
    placeOrder(deps, {
      body: { customerId: 'c-1', items: [{ sku: 'SKU-1', quantity: 1 }], mode: 'saga' },
      idempotencyKey: 'k-1',
    }),
  );
  expect(error).toMatchObject({ code: 'UNAVAILABLE', reason: 'CIRCUIT_OPEN' });
  expect(error.message).toMatch(/^the inventory service is unavailable/);
});
