/* eslint-disable @typescript-eslint/no-unsafe-argument -- answers are parsed JSON, asserted field by field */
/**
 * `POST /v1/orders?wait=decided` against the real stack (Update-with-Start of the workflow's `decided` update):
 * a TCC order answers 202 COMMITTING before its confirms finish (payment.Confirm delayed by a fault; the answer is
 * compared with the time its barrier row committed) and ends CONFIRMED; a TCC failure answers with the failure; a saga
 * answers at its pivot; a repeat with the same Idempotency-Key joins the transaction; `wait=true` still answers with
 * the result.
 */
import { PlaceOrderResponseSchema } from '../../../api/operations/schemas';
import { fieldErrors } from '../../../api/operations/validation';
import { startApi, type RunningApi } from './support/http';
import { seed, startSystem, stockOf, uid, type Catalogue, type System } from './support/system';

/** How long payment.Confirm waits before it runs: the window the answer must come in. */
const CONFIRM_DELAY_MS = 2_000;
// the worker's per-attempt gRPC deadline must outlast the delay (the confirm is slow, not lost)
process.env.DTX_CALL_DEADLINE_MS = '10000';

let system: System;
let api: RunningApi;
let shop: Catalogue;

beforeAll(async () => {
  system = await startSystem({ faults: { payment: `payment.Confirm=delay:${CONFIRM_DELAY_MS}` } });
  api = await startApi({ deps: system.deps });
  shop = await seed(system.clients, { stock: 10, balance: 100_000, products: 2, couponOff: 200 });
}, 120_000);

afterAll(async () => {
  await api?.close();
  await system?.stop();
});

const orderRow = (orderId: string) =>
  system
    .db('order')('orders')
    .where({ order_id: orderId })
    .first<{ status: string; total: string; cancel_reason: string } | undefined>();
const wallet = async (customer: string) => {
  const row = await system
    .db('payment')('wallets')
    .where({ customer_id: customer })
    .first<{ balance: string; frozen: string }>();
  return { balance: Number(row.balance), frozen: Number(row.frozen) };
};
/** When a participant's op committed (its barrier row is inserted in the same local transaction). */
const barrierAt = async (service: 'payment' | 'inventory', txId: string, op: string) => {
  const row = await system
    .db(service)('tx_barrier')
    .where({ tx_id: txId, branch_id: service, op })
    .first<{ created_at: Date } | undefined>();
  return row?.created_at;
};

describe('POST /v1/orders?wait=decided', () => {
  test('TCC: 202 COMMITTING once every try succeeded, before the (delayed) confirm commits; CONFIRMED afterwards', async () => {
    const before = await wallet(shop.customer);
    const response = await api.request('POST', '/v1/orders?wait=decided', {
      body: { customerId: shop.customer, items: [{ sku: shop.skus[0], quantity: 2 }], mode: 'tcc' },
    });
    const answeredAt = Date.now();
    expect(response.status).toBe(202);
    expect(fieldErrors(PlaceOrderResponseSchema, response.body)).toEqual([]);
    expect(response.body).toMatchObject({
      mode: 'tcc',
      status: 'COMMITTING',
      replayed: false,
      decision: { status: 'COMMITTING' },
    });
    expect(response.body.outcome).toBeUndefined();
    const { orderId, workflowId } = response.body;
    // the answer did not wait for the confirm: it is not committed yet (its commit time is compared below)
    expect(await barrierAt('payment', workflowId, 'confirm')).toBeUndefined();
    // the tries are done: stock and money frozen (moved from the balance), nothing sold or debited yet
    expect((await stockOf(system.db('inventory'), [shop.skus[0]]))[shop.skus[0]]).toMatchObject({
      frozen: 2,
    });
    expect(await wallet(shop.customer)).toEqual({
      balance: before.balance - 2 * shop.price,
      frozen: before.frozen + 2 * shop.price,
    });

    const result = await system.temporal.workflow.getHandle(workflowId).result();
    expect(result).toMatchObject({ status: 'COMPLETED', total: 2 * shop.price });
    const confirmedAt = await barrierAt('payment', workflowId, 'confirm');
    expect(confirmedAt).toBeDefined();
    expect(answeredAt).toBeLessThan(confirmedAt!.getTime());
    expect(await orderRow(orderId)).toMatchObject({ status: 'CONFIRMED', total: String(2 * shop.price) });
    expect((await stockOf(system.db('inventory'), [shop.skus[0]]))[shop.skus[0]]).toEqual({
      available: 8,
      frozen: 0,
      sold: 2,
    });
    expect(await wallet(shop.customer)).toEqual({
      balance: before.balance - 2 * shop.price,
      frozen: before.frozen,
    });

    // the final state is visible as with any order
    const view = await api.request('GET', `/v1/orders/${orderId}`);
    expect(view.status).toBe(200);
    expect(view.body.txState).toMatchObject({ status: 'COMPLETED' });
  }, 60_000);

  test('TCC failure (insufficient funds): 200 with the failure; every try cancelled, the order CANCELLED', async () => {
    const poor = await seed(system.clients, { stock: 5, balance: 100, products: 1 });
    const response = await api.request('POST', '/v1/orders?wait=decided', {
      body: { customerId: poor.customer, items: [{ sku: poor.skus[0], quantity: 1 }], mode: 'tcc' },
    });
    expect(response.status).toBe(200);
    expect(fieldErrors(PlaceOrderResponseSchema, response.body)).toEqual([]);
    expect(['COMPENSATING', 'COMPENSATED']).toContain(response.body.status);
    expect(response.body.decision).toMatchObject({ failedStep: 'payment', reason: 'INSUFFICIENT_FUNDS' });
    const { orderId, workflowId } = response.body;
    await system.temporal.workflow.getHandle(workflowId).result();
    expect(await orderRow(orderId)).toMatchObject({ status: 'CANCELLED' });
    expect((await stockOf(system.db('inventory'), [poor.skus[0]]))[poor.skus[0]]).toEqual({
      available: 5,
      frozen: 0,
      sold: 0,
    });
    expect(await wallet(poor.customer)).toEqual({ balance: 100, frozen: 0 });
  }, 60_000);

  test('saga: decided at the pivot (ConfirmOrder, its last step): 200 with the outcome', async () => {
    const before = await wallet(shop.customer);
    const response = await api.request('POST', '/v1/orders?wait=decided', {
      body: { customerId: shop.customer, items: [{ sku: shop.skus[1], quantity: 1 }], mode: 'saga' },
    });
    expect(response.status).toBe(200);
    expect(fieldErrors(PlaceOrderResponseSchema, response.body)).toEqual([]);
    expect(response.body).toMatchObject({
      mode: 'saga',
      status: 'COMPLETED',
      decision: { status: 'COMPLETED' },
      outcome: { status: 'COMPLETED', total: shop.price },
    });
    expect(await orderRow(response.body.orderId)).toMatchObject({ status: 'CONFIRMED' });
    expect(await wallet(shop.customer)).toEqual({
      balance: before.balance - shop.price,
      frozen: before.frozen,
    });
  }, 60_000);

  test('saga failure: 200 with the failure, compensated', async () => {
    const poor = await seed(system.clients, { stock: 5, balance: 100, products: 1 });
    const response = await api.request('POST', '/v1/orders?wait=decided', {
      body: { customerId: poor.customer, items: [{ sku: poor.skus[0], quantity: 1 }], mode: 'saga' },
    });
    expect(response.status).toBe(200);
    expect(['COMPENSATING', 'COMPENSATED']).toContain(response.body.status);
    expect(response.body.decision).toMatchObject({ failedStep: 'payment', reason: 'INSUFFICIENT_FUNDS' });
    await system.temporal.workflow.getHandle(response.body.workflowId).result();
    expect(await orderRow(response.body.orderId)).toMatchObject({ status: 'CANCELLED' });
    expect((await stockOf(system.db('inventory'), [poor.skus[0]]))[poor.skus[0]]).toMatchObject({
      available: 5,
      sold: 0,
    });
  }, 60_000);

  test('the same Idempotency-Key joins the transaction (replayed), another body is refused; one order', async () => {
    const key = uid('key');
    const body = { customerId: shop.customer, items: [{ sku: shop.skus[1], quantity: 1 }], mode: 'tcc' };
    const first = await api.request('POST', '/v1/orders?wait=decided', {
      body,
      headers: { 'idempotency-key': key },
    });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ status: 'COMMITTING', replayed: false });
    const again = await api.request('POST', '/v1/orders?wait=decided', {
      body,
      headers: { 'idempotency-key': key },
    });
    expect([200, 202]).toContain(again.status);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toMatchObject({ orderId: first.body.orderId, replayed: true });
    const other = await api.request('POST', '/v1/orders?wait=decided', {
      body: { ...body, items: [{ sku: shop.skus[1], quantity: 2 }] },
      headers: { 'idempotency-key': key },
    });
    expect(other.status).toBe(409);
    await system.temporal.workflow.getHandle(first.body.workflowId).result();
    // a late repeat (the transaction closed) answers with its outcome
    const late = await api.request('POST', '/v1/orders?wait=decided', {
      body,
      headers: { 'idempotency-key': key },
    });
    expect(late.status).toBe(200);
    expect(late.body).toMatchObject({ replayed: true, outcome: { status: 'COMPLETED' } });
    expect(await system.db('order')('orders').where({ order_id: first.body.orderId })).toHaveLength(1);
  }, 60_000);
});
