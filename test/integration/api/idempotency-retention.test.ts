/* eslint-disable @typescript-eslint/no-unsafe-argument -- answers are parsed JSON, asserted field by field */
/**
 * Idempotency outlives Temporal's retention (issue: "a DUPLICATE answer is trusted blindly"): once the closed run of
 * an Idempotency-Key is gone from Temporal, the same key with another body must still be refused (409) and change
 * nothing, because the API keeps its own record of the key (dtx_api.idempotency_keys).
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { createDb } from '../../../common/db';
import { startApi, type RunningApi } from './support/http';
import { eventually, seed, startSystem, stockOf, uid, type Catalogue, type System } from './support/system';

let system: System;
let api: RunningApi;
let shop: Catalogue;

beforeAll(async () => {
  system = await startSystem();
  api = await startApi({ deps: system.deps });
  shop = await seed(system.clients, { stock: 10, balance: 100_000, products: 2, couponOff: 200 });
}, 120_000);

afterAll(async () => {
  await api?.close();
  await system?.stop();
});

const walletOf = async (customer: string) =>
  system
    .db('payment')('wallets')
    .where({ customer_id: customer })
    .first<{ balance: string; frozen: string }>();
const couponOf = async (code: string) =>
  system.db('coupon')('coupons').where({ code }).first<{ state: string; tx_id: string | null }>();

/** Deletes the workflow's runs from Temporal, as namespace retention eventually does, and waits until it is gone. */
async function purgeFromTemporal(workflowId: string): Promise<void> {
  await system.temporal.workflowService.deleteWorkflowExecution({
    namespace: system.config.temporal.namespace,
    workflowExecution: { workflowId },
  });
  await eventually(async () => {
    try {
      await system.temporal.workflow.getHandle(workflowId).describe();
      return undefined;
    } catch (error) {
      return error instanceof WorkflowNotFoundError ? true : undefined;
    }
  }, `${workflowId} deleted from Temporal`);
}

test('saga: after the run is purged from Temporal, the same key with another body is 409 and changes nothing', async () => {
  const key = uid('key');
  const first = await api.request('POST', '/v1/orders?wait=true', {
    body: { customerId: shop.customer, items: [{ sku: shop.skus[0], quantity: 1 }], mode: 'saga' },
    headers: { 'idempotency-key': key },
  });
  expect(first.status).toBe(200);
  expect(first.body.status).toBe('COMPLETED');
  await purgeFromTemporal(first.body.workflowId);

  const stockBefore = await stockOf(system.db('inventory'), shop.skus);
  const walletBefore = await walletOf(shop.customer);
  const couponBefore = await couponOf(shop.coupon);
  expect(couponBefore?.state).toBe('AVAILABLE');

  const reused = await api.request('POST', '/v1/orders?wait=true', {
    body: {
      customerId: shop.customer,
      items: [
        { sku: shop.skus[0], quantity: 3 },
        { sku: shop.skus[1], quantity: 2 },
      ],
      couponCode: shop.coupon,
      mode: 'saga',
    },
    headers: { 'idempotency-key': key },
  });
  expect(reused.status).toBe(409);
  expect(reused.body.error).toMatchObject({ code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_REUSED' });

  // nothing started and nothing moved: no run under the id, same stock, wallet and coupon
  await expect(system.temporal.workflow.getHandle(first.body.workflowId).describe()).rejects.toBeInstanceOf(
    WorkflowNotFoundError,
  );
  expect(await stockOf(system.db('inventory'), shop.skus)).toEqual(stockBefore);
  expect(await walletOf(shop.customer)).toEqual(walletBefore);
  expect(await couponOf(shop.coupon)).toEqual(couponBefore);
  const record = await system
    .db('order')('orders')
    .where({ order_id: first.body.orderId })
    .first<{ status: string; total: string }>();
  expect(record).toMatchObject({ status: 'CONFIRMED', total: String(shop.price) });
});

test('the same key and the same body after the purge is not refused (it is the same order)', async () => {
  const key = uid('key');
  const body = { customerId: shop.customer, items: [{ sku: shop.skus[1], quantity: 1 }], mode: 'tcc' };
  const first = await api.request('POST', '/v1/orders?wait=true', {
    body,
    headers: { 'idempotency-key': key },
  });
  expect(first.body.status).toBe('COMPLETED');
  await purgeFromTemporal(first.body.workflowId);
  const stockBefore = await stockOf(system.db('inventory'), [shop.skus[1]]);
  const walletBefore = await walletOf(shop.customer);
  const again = await api.request('POST', '/v1/orders', { body, headers: { 'idempotency-key': key } });
  expect(again.status).toBe(202);
  expect(again.body.orderId).toBe(first.body.orderId);
  await system.temporal.workflow.getHandle(again.body.workflowId).result();
  // the services' barrier answered every call as a duplicate: nothing reserved or charged a second time
  expect(await stockOf(system.db('inventory'), [shop.skus[1]])).toEqual(stockBefore);
  expect(await walletOf(shop.customer)).toEqual(walletBefore);
});

test('records past DTX_IDEMPOTENCY_RETENTION_DAYS are purged, younger ones kept', async () => {
  const apiDb = createDb('api', { url: system.config.databases.api, poolMax: 1 });
  try {
    const [old, young] = [uid('old'), uid('young')];
    for (const key of [old, young])
      await system.deps.idempotency.claim(shop.customer, key, { orderId: uid('o'), requestHash: 'h' });
    const days = system.config.idempotencyRetentionDays;
    await apiDb.raw(
      `update idempotency_keys set created_at = now() - make_interval(days => ?) where key = ?`,
      [days + 1, old],
    );
    expect(await system.deps.idempotency.purgeExpired()).toBeGreaterThanOrEqual(1);
    const left = await apiDb('idempotency_keys').whereIn('key', [old, young]).pluck<string[]>('key');
    expect(left).toEqual([young]);
  } finally {
    await apiDb.destroy();
  }
});
