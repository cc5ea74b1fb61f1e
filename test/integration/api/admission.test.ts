/**
 * Admission on the real system (issue 13 §2): a burst over a client's rate limit gets 429 RATE_LIMITED with
 * Retry-After and the API's error shape; a burst over the in-flight cap gets 429 IN_FLIGHT_CAP and never has more
 * transactions running than the cap; a refused request changes nothing in any database (no Idempotency-Key record, no
 * order, no stock, no wallet movement, no workflow).
 */
import { createDb, type Knex } from '../../../common/db';
import type { AdmissionConfig } from '../../../common/config';
import { inFlightLimit, runningTransactionsQuery } from '../../../api/operations/admission';
import { orderIdFor } from '../../../api/operations/idempotency';
import { workflowIdFor } from '../../../workflows/names';
import { startApi, type ApiResponse, type RunningApi } from './support/http';
import { eventually, seed, startSystem, stockOf, uid, type Catalogue, type System } from './support/system';

let system: System;
let apiDb: Knex;

beforeAll(async () => {
  system = await startSystem();
  apiDb = createDb('api', { url: system.config.databases.api, poolMax: 2 });
}, 120_000);

afterAll(async () => {
  await apiDb?.destroy();
  await system?.stop();
});

const NO_RATE_LIMIT = { rate: 0, burst: 1 };

/** An API over the test system with these limits and its own in-flight cap over this system's task queue. */
async function apiWith(admission: AdmissionConfig): Promise<RunningApi> {
  const client = system.temporal;
  const inFlight = inFlightLimit(
    { max: admission.maxInFlight, refreshMs: admission.inFlightRefreshMs },
    async () => (await client.workflow.count(runningTransactionsQuery(system.taskQueue))).count,
  );
  return startApi({ deps: { ...system.deps, inFlight }, admission });
}

interface Placed {
  key: string;
  response: ApiResponse;
}

/** `count` orders of one unit at once, each under its own Idempotency-Key. */
async function burst(
  api: RunningApi,
  shop: Catalogue,
  count: number,
  options: { wait: boolean; headers?: Record<string, string> },
): Promise<Placed[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const key = uid('adm');
      const response = await api.request('POST', `/v1/orders${options.wait ? '?wait=true' : ''}`, {
        body: { customerId: shop.customer, items: [{ sku: shop.skus[0], quantity: 1 }], mode: 'saga' },
        headers: { 'idempotency-key': key, ...options.headers },
      });
      return { key, response };
    }),
  );
}

/** The refused requests left no trace: no Idempotency-Key record, no order record, no workflow. */
async function expectNoTrace(shop: Catalogue, refused: Placed[]): Promise<void> {
  const keys = refused.map((r) => r.key);
  expect(
    await apiDb('idempotency_keys').where({ customer_id: shop.customer }).whereIn('key', keys).count(),
  ).toEqual([{ count: '0' }]);
  const orderIds = keys.map((key) => orderIdFor(shop.customer, key));
  expect(await system.db('order')('orders').whereIn('order_id', orderIds).count()).toEqual([{ count: '0' }]);
  for (const orderId of orderIds) {
    await expect(system.temporal.workflow.getHandle(workflowIdFor(orderId)).describe()).rejects.toThrow(
      /not found/i,
    );
  }
}

function expectTooMany(placed: Placed, reason: string): void {
  expect(placed.response.status).toBe(429);
  expect(Number(placed.response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(placed.response.body).toEqual({
    error: { code: 'TOO_MANY_REQUESTS', reason, message: expect.stringMatching(/try again in \d+ s/) },
  });
}

test('a burst over a client’s write budget: 429 RATE_LIMITED with Retry-After, nothing written for those; other clients and reads go on', async () => {
  // 10 at once, then 1 a second: a burst of 25 within a second gets 10 through
  const api = await apiWith({
    write: { rate: 1, burst: 10 },
    read: { rate: 100, burst: 100 },
    maxInFlight: 1000,
    inFlightRefreshMs: 500,
  });
  try {
    const shop = await seed(system.clients, { stock: 100, balance: 1_000_000, products: 1 });
    const stockBefore = await stockOf(system.db('inventory'), shop.skus);
    const placed = await burst(api, shop, 25, { wait: true, headers: { 'x-api-key': 'client-a' } });
    const accepted = placed.filter((p) => p.response.status === 200);
    const refused = placed.filter((p) => p.response.status === 429);
    expect(accepted.length + refused.length).toBe(25);
    expect(accepted.length).toBeGreaterThanOrEqual(10);
    expect(accepted.length).toBeLessThanOrEqual(11); // a token may refill while the burst arrives
    for (const p of accepted) expect(p.response.body.outcome).toMatchObject({ status: 'COMPLETED' });
    for (const p of refused) expectTooMany(p, 'RATE_LIMITED');

    // the databases hold exactly the accepted orders
    await expectNoTrace(shop, refused);
    expect(await apiDb('idempotency_keys').where({ customer_id: shop.customer }).count()).toEqual([
      { count: String(accepted.length) },
    ]);
    expect(await stockOf(system.db('inventory'), shop.skus)).toEqual({
      [shop.skus[0]]: {
        ...stockBefore[shop.skus[0]],
        available: stockBefore[shop.skus[0]].available - accepted.length,
        sold: accepted.length,
      },
    });
    const wallet = await system
      .db('payment')('wallets')
      .where({ customer_id: shop.customer })
      .first<{ balance: string }>();
    expect(Number(wallet.balance)).toBe(1_000_000 - accepted.length * shop.price);

    // another client has its own bucket; client-a's reads have theirs
    const other = await burst(api, shop, 1, { wait: false, headers: { 'x-api-key': 'client-b' } });
    expect(other[0].response.status).toBe(202);
    const read = await api.request('GET', `/v1/orders/${accepted[0].response.body.orderId}`, {
      headers: { 'x-api-key': 'client-a' },
    });
    expect(read.status).toBe(200);
    // liveness is never limited
    expect((await api.request('GET', '/healthz')).status).toBe(200);
  } finally {
    await api.close();
  }
}, 120_000);

test('a burst over the in-flight cap: 429 IN_FLIGHT_CAP, never more running than the cap, nothing written for those; the cap frees up', async () => {
  const cap = 3;
  const api = await apiWith({
    write: NO_RATE_LIMIT,
    read: NO_RATE_LIMIT,
    maxInFlight: cap,
    inFlightRefreshMs: 200,
  });
  // the truth while the bursts run: running transactions on this system's queue, sampled from Temporal
  let maxRunning = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const { count } = await system.temporal.workflow.count(runningTransactionsQuery(system.taskQueue));
      maxRunning = Math.max(maxRunning, count);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  })();
  try {
    const shop = await seed(system.clients, { stock: 100, balance: 1_000_000, products: 1 });
    // the cap counts whatever runs on the queue: start from none (the test before may leave one finishing)
    await eventually(async () => {
      const { count } = await system.temporal.workflow.count(runningTransactionsQuery(system.taskQueue));
      return count === 0 ? true : undefined;
    }, 'no transaction running on the test queue');
    const first = await burst(api, shop, 20, { wait: true });
    const accepted = first.filter((p) => p.response.status === 200);
    const refused = first.filter((p) => p.response.status === 429);
    // one count before the burst (0 running), then check-and-take one at a time: exactly the cap gets in
    expect(accepted).toHaveLength(cap);
    expect(refused).toHaveLength(20 - cap);
    for (const p of refused) expectTooMany(p, 'IN_FLIGHT_CAP');
    await expectNoTrace(shop, refused);

    // the accepted ones finished (their outcome was seen): the next wave gets in again, and never more than the cap
    const second = await burst(api, shop, 10, { wait: true });
    expect(second.filter((p) => p.response.status === 200).length).toBeGreaterThanOrEqual(1);
    await expectNoTrace(
      shop,
      second.filter((p) => p.response.status === 429),
    );

    // what ran, from Temporal's own start and close times: at no moment more than the cap at once
    const ran = [...accepted, ...second.filter((p) => p.response.status === 200)];
    const spans = await Promise.all(
      ran.map(async (p) => {
        const d = await system.temporal.workflow.getHandle(String(p.response.body.workflowId)).describe();
        return { start: d.startTime.getTime(), end: d.closeTime!.getTime() };
      }),
    );
    const overlap = Math.max(
      ...spans.map((s) => spans.filter((o) => o.start <= s.start && o.end > s.start).length),
    );
    expect(overlap).toBeLessThanOrEqual(cap);
    expect(await stockOf(system.db('inventory'), shop.skus)).toMatchObject({
      [shop.skus[0]]: { available: 100 - ran.length, frozen: 0, sold: ran.length },
    });
  } finally {
    sampling = false;
    await sampler;
    await api.close();
  }
  expect(maxRunning).toBeLessThanOrEqual(cap);
}, 120_000);
