/**
 * Admission without servers: the token-bucket store behind the per-client rate limits, the in-flight cap's count
 * (visibility + recent starts, check-and-take in one step), 429s in the API's error shape with Retry-After from a fake
 * app, and settings that refuse to start naming the variable.
 */
import { buildApp } from '../../../api/http/server';
import { TokenBucketStore } from '../../../api/http/rate-limit';
import { admitOrder, inFlightLimit } from '../../../api/operations/admission';
import { DtxError } from '../../../api/operations/errors';
import type { PlaceOrderResponse } from '../../../api/operations/schemas';
import { ConfigError, loadConfig } from '../../../common/config';
import { unreachableDeps } from './support/unreachable-deps.fake';

afterEach(() => jest.useRealTimers());

function take(store: TokenBucketStore, key: string, windowMs: number, max: number) {
  let result: { current: number; ttl: number } | undefined;
  store.incr(key, (_error, r) => (result = r), windowMs, max);
  return result!;
}

describe('TokenBucketStore', () => {
  test('a full bucket of `max`, refilled at max/window; refused with the time to the next token', () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const store = new TokenBucketStore();
    // burst 4, rate 2/s: window (time to refill from empty) = 2 s
    for (let i = 1; i <= 4; i++) expect(take(store, 'a', 2000, 4).current).toBeLessThanOrEqual(4);
    const refused = take(store, 'a', 2000, 4);
    expect(refused.current).toBeGreaterThan(4);
    expect(refused.ttl).toBe(500); // one token every 500 ms
    expect(take(store, 'b', 2000, 4).current).toBeLessThanOrEqual(4); // another client, another bucket
    jest.advanceTimersByTime(500);
    expect(take(store, 'a', 2000, 4).current).toBeLessThanOrEqual(4);
    expect(take(store, 'a', 2000, 4).current).toBeGreaterThan(4);
    // a quiet client is back to a full burst, never more
    jest.advanceTimersByTime(60_000);
    const allowed = Array.from({ length: 6 }, () => take(store, 'a', 2000, 4).current <= 4);
    expect(allowed).toEqual([true, true, true, true, false, false]);
  });
});

describe('inFlightLimit', () => {
  test('visible + admitted ≤ max; concurrent admissions share one count; a final outcome frees the slot', async () => {
    let counts = 0;
    const limit = inFlightLimit({ max: 3, refreshMs: 60_000 }, () => {
      counts++;
      return Promise.resolve(1);
    });
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => limit.admit()));
    expect(counts).toBe(1);
    const admitted = results.filter((r) => r.status === 'fulfilled');
    expect(admitted).toHaveLength(2); // 1 running + 2 = 3
    const refused = results.find((r) => r.status === 'rejected');
    expect(refused?.status === 'rejected' && refused.reason).toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      reason: 'IN_FLIGHT_CAP',
      retryAfterSeconds: 60,
    });
    expect(limit.estimate()).toBe(3);
    (admitted[0] as PromiseFulfilledResult<{ release(): void }>).value.release();
    expect(limit.estimate()).toBe(2);
    await expect(limit.admit()).resolves.toBeDefined();
  });

  test('a started order counts until a count taken after it (plus the visibility lag) includes it', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    let running = 0;
    const limit = inFlightLimit({ max: 2, refreshMs: 100, visibilityLagMs: 1_000 }, () =>
      Promise.resolve(running),
    );
    const slot = await limit.admit();
    slot.started();
    running = 1; // visibility shows it
    jest.advanceTimersByTime(200);
    await limit.admit().then((s) => s.release()); // stale: a background count; the start is too recent to drop
    await Promise.resolve();
    expect(limit.estimate()).toBe(2); // counted twice: errs high, never low
    jest.advanceTimersByTime(1_200);
    await limit.admit().then((s) => s.release());
    await Promise.resolve();
    expect(limit.estimate()).toBe(1);
  });

  test('admitOrder: refused requests and final outcomes free the slot, anything else keeps it', async () => {
    const limit = inFlightLimit({ max: 1, refreshMs: 60_000 }, () => Promise.resolve(0));
    const response = (outcome: boolean) =>
      ({ replayed: false, ...(outcome ? { outcome: { status: 'COMPLETED' } } : {}) }) as PlaceOrderResponse;
    await admitOrder(limit, () => Promise.resolve(response(true)));
    expect(limit.estimate()).toBe(0);
    await expect(admitOrder(limit, () => Promise.reject(new DtxError('BAD_REQUEST', 'bad')))).rejects.toThrow(
      'bad',
    );
    expect(limit.estimate()).toBe(0);
    await admitOrder(limit, () => Promise.resolve(response(false)));
    expect(limit.estimate()).toBe(1);
    await expect(admitOrder(limit, () => Promise.resolve(response(true)))).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
    });
  });
});

test('over a client’s write budget: 429 RATE_LIMITED in the error shape with Retry-After; reads and another key go on', async () => {
  const app = await buildApp({
    deps: unreachableDeps(),
    admission: {
      write: { rate: 1, burst: 2 },
      read: { rate: 5, burst: 5 },
      maxInFlight: 10,
      inFlightRefreshMs: 500,
    },
  });
  try {
    // POSTs that fail validation still spend a token: the limit comes before the body is read
    const post = (key: string) =>
      app.inject({ method: 'POST', url: '/v1/orders', headers: { 'x-api-key': key }, payload: {} });
    expect((await post('k1')).statusCode).toBe(400);
    expect((await post('k1')).statusCode).toBe(400);
    const refused = await post('k1');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.json()).toEqual({
      error: {
        code: 'TOO_MANY_REQUESTS',
        reason: 'RATE_LIMITED',
        message: 'rate limit: at most 1 writes a second per client (bursts of 2); try again in 1 s',
      },
    });
    expect((await post('k2')).statusCode).toBe(400);
    expect(
      (await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-api-key': 'k1' } })).statusCode,
    ).toBe(200);
  } finally {
    await app.close();
  }
});

test.each([
  ['DTX_API_MAX_IN_FLIGHT', '0'],
  ['DTX_API_MAX_IN_FLIGHT', 'lots'],
  ['DTX_API_RATE_WRITE', '-1'],
  ['DTX_API_RATE_READ_BURST', '0'],
  ['DTX_API_IN_FLIGHT_REFRESH_MS', '10'],
])('%s=%s refuses to start naming the variable', (name, value) => {
  expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
  expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^${name}:`));
});

test('a burst smaller than its rate is refused, naming the burst', () => {
  expect(() => loadConfig({ DTX_API_RATE_WRITE: '50', DTX_API_RATE_WRITE_BURST: '10' })).toThrow(
    /^DTX_API_RATE_WRITE_BURST: must be >= DTX_API_RATE_WRITE \(50\)/,
  );
  expect(loadConfig({}).api.admission).toEqual({
    write: { rate: 100, burst: 200 },
    read: { rate: 500, burst: 1000 },
    maxInFlight: 1000,
    inFlightRefreshMs: 500,
  });
});
