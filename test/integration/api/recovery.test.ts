/* eslint-disable @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument -- answers are parsed JSON, asserted field by field */
/**
 * Recovery through the API against the running system, with faults injected into the in-process services:
 * cancel in the forward phase, a run stuck in a compensation (terminated, fault fixed, retried → COMPENSATED),
 * a run stuck in a forward step (terminated, fault fixed, retried → COMPLETED), what retry refuses and why,
 * and dead letters (list, redrive).
 */
import { randomBytes } from 'node:crypto';
import { appendEvent } from '../../../outbox/writer';
import { OutboxRelay } from '../../../workers/relay/relay';
import { startApi, type RunningApi } from './support/http';
import { eventually, seed, startSystem, stockOf, uid, type Catalogue, type System } from './support/system';

let system: System;
let api: RunningApi;
let shop: Catalogue;

beforeAll(async () => {
  system = await startSystem({
    faults: {
      // every Release fails: a compensation of the inventory step retries forever
      inventory: 'inventory.Release=unavailable:1',
      // every Charge hangs past its deadline: the payment step keeps retrying
      payment: 'payment.Charge=delay:30000',
    },
  });
  api = await startApi({ deps: system.deps });
  shop = await seed(system.clients, { stock: 10, balance: 100_000, products: 2 });
}, 120_000);

afterAll(async () => {
  await api?.close();
  await system?.stop();
});

interface Step {
  name: string;
  state: string;
  attempts?: Record<string, number>;
}
const stepOf = (body: { txState?: { steps?: Step[] } }, name: string) =>
  body.txState?.steps?.find((s) => s.name === name);
const view = (orderId: string) => api.request('GET', `/v1/orders/${orderId}`);
const walletOf = async (customer: string) => {
  const row = await system
    .db('payment')('wallets')
    .where({ customer_id: customer })
    .first<{ balance: string; frozen: string }>();
  return { balance: Number(row.balance), frozen: Number(row.frozen) };
};
const barrier = async (service: 'inventory' | 'payment' | 'order', txId: string) =>
  (
    await system
      .db(service)('tx_barrier')
      .where({ tx_id: txId })
      .select<{ branch_id: string; op: string }[]>('branch_id', 'op')
  )
    .map((r) => `${r.branch_id}:${r.op}`)
    .sort();

/** Places a Saga order and waits until its payment step is running (hanging on the Charge fault). */
async function placeHangingOrder(sku: string, quantity: number) {
  const placed = await api.request('POST', '/v1/orders', {
    body: { customerId: shop.customer, items: [{ sku, quantity }], mode: 'saga' },
  });
  expect(placed.status).toBe(202);
  await eventually(async () => {
    const current = await view(placed.body.orderId);
    return stepOf(current.body, 'payment')?.state === 'running' ? current : undefined;
  }, 'the payment step is running');
  return placed.body as { orderId: string; workflowId: string; runId: string };
}

test('cancel in the forward phase compensates; stuck in a compensation → terminate, fix, retry → COMPENSATED', async () => {
  const sku = shop.skus[0];
  const stockBefore = await stockOf(system.db('inventory'), [sku]);
  const walletBefore = await walletOf(shop.customer);
  const order = await placeHangingOrder(sku, 2);
  expect((await stockOf(system.db('inventory'), [sku]))[sku].available).toBe(stockBefore[sku].available - 2);

  const cancel = await api.request('POST', `/v1/transactions/${order.workflowId}/cancel`);
  expect(cancel.status).toBe(202);
  expect(cancel.body).toMatchObject({
    workflowId: order.workflowId,
    runId: order.runId,
    status: 'CANCEL_REQUESTED',
  });

  // the inventory compensation meets its fault again and again: the run stays COMPENSATING
  const stuck = await eventually(
    async () => {
      const current = await view(order.orderId);
      return current.body.txState?.status === 'COMPENSATING' &&
        (stepOf(current.body, 'inventory')?.attempts?.compensate ?? 0) >= 2
        ? current
        : undefined;
    },
    'the inventory compensation is retried',
    90_000,
  );
  expect(stuck.body.executionStatus).toBe('RUNNING');
  expect((await stockOf(system.db('inventory'), [sku]))[sku].available).toBe(stockBefore[sku].available - 2);

  const refused = await api.request('POST', `/v1/transactions/${order.workflowId}/retry`);
  expect(refused.status).toBe(409);
  expect(refused.body.error.reason).toBe('NOT_RETRYABLE_RUNNING');

  // the operator ends the stuck run, fixes the fault, and retries
  await system.temporal.workflow.getHandle(order.workflowId).terminate('stuck on inventory.Release (test)');
  await system.restartService('inventory', '');
  const retried = await api.request('POST', `/v1/transactions/${order.workflowId}/retry`);
  expect(retried.status).toBe(202);
  expect(retried.body).toMatchObject({
    workflowId: order.workflowId,
    previousRunId: order.runId,
    previousExecutionStatus: 'TERMINATED',
  });
  expect(retried.body.runId).not.toBe(order.runId);
  expect(retried.body.resetToEventId).toBeGreaterThan(0);
  expect(retried.body.links.temporalUi).toContain(`/workflows/${order.workflowId}/${retried.body.runId}`);

  const result = await system.temporal.workflow.getHandle(order.workflowId, retried.body.runId).result();
  expect(result).toMatchObject({ status: 'COMPENSATED', reason: 'CANCELLED', failedStep: 'payment' });

  // database truth: everything undone exactly once
  expect(await stockOf(system.db('inventory'), [sku])).toEqual(stockBefore);
  expect(await walletOf(shop.customer)).toEqual(walletBefore);
  const orderRow = await system
    .db('order')('orders')
    .where({ order_id: order.orderId })
    .first<{ status: string }>();
  expect(orderRow.status).toBe('CANCELLED');
  expect(await barrier('inventory', order.workflowId)).toEqual(['inventory:action', 'inventory:compensate']);
  expect(await barrier('payment', order.workflowId)).toEqual(['payment:action', 'payment:compensate']);
  const charges = await system.db('payment')('payments').where({ order_id: order.orderId, kind: 'CHARGE' });
  expect(charges).toEqual([]);

  const after = await view(order.orderId);
  expect(after.body).toMatchObject({
    runId: retried.body.runId,
    executionStatus: 'COMPLETED',
    txState: { status: 'COMPENSATED' },
  });

  // what retry and cancel answer now
  const again = await api.request('POST', `/v1/transactions/${order.workflowId}/retry`);
  expect(again.status).toBe(409);
  expect(again.body.error.reason).toBe('COMPENSATED_PLACE_NEW_ORDER');
  const cancelAgain = await api.request('POST', `/v1/transactions/${order.workflowId}/cancel`);
  expect(cancelAgain.status).toBe(409);
  expect(cancelAgain.body.error.reason).toBe('NOT_RUNNING');
});

test('stuck in a forward step → terminate, fix, retry: the remaining steps run and it COMPLETES, charged once', async () => {
  const sku = shop.skus[1];
  const stockBefore = await stockOf(system.db('inventory'), [sku]);
  const walletBefore = await walletOf(shop.customer);
  const order = await placeHangingOrder(sku, 1);

  await system.temporal.workflow.getHandle(order.workflowId).terminate('payment hangs (test)');
  const pending = await system
    .db('order')('orders')
    .where({ order_id: order.orderId })
    .first<{ status: string }>();
  expect(pending.status).toBe('PENDING');
  await system.restartService('payment', '');

  const retried = await api.request('POST', `/v1/transactions/${order.workflowId}/retry`);
  expect(retried.status).toBe(202);
  const result = await system.temporal.workflow.getHandle(order.workflowId, retried.body.runId).result();
  expect(result).toMatchObject({ status: 'COMPLETED' });

  const confirmed = await system
    .db('order')('orders')
    .where({ order_id: order.orderId })
    .first<{ status: string; total: string }>();
  expect(confirmed).toMatchObject({ status: 'CONFIRMED', total: String(shop.price) });
  expect(await walletOf(shop.customer)).toEqual({ balance: walletBefore.balance - shop.price, frozen: 0 });
  const charges = await system.db('payment')('payments').where({ order_id: order.orderId, kind: 'CHARGE' });
  expect(charges).toHaveLength(1);
  expect((await stockOf(system.db('inventory'), [sku]))[sku]).toEqual({
    ...stockBefore[sku],
    available: stockBefore[sku].available - 1,
    sold: stockBefore[sku].sold + 1,
  });

  const again = await api.request('POST', `/v1/transactions/${order.workflowId}/retry`);
  expect(again.status).toBe(409);
  expect(again.body.error.reason).toBe('NOTHING_TO_RETRY');
});

test('retry and cancel of an unknown transaction are 404', async () => {
  for (const action of ['retry', 'cancel']) {
    const response = await api.request('POST', `/v1/transactions/order-${uid('nope')}/${action}`);
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('NOT_FOUND');
  }
});

test('dead letters: a row Kafka refuses dies, is listed with what waits behind it, and is redriven once fixed', async () => {
  const db = system.db('order');
  const aggregateId = uid('dlq');
  const headers = { 'tx-id': aggregateId };
  // over Kafka's default 1 MiB message limit: the broker refuses it on every attempt
  const poison = { blob: randomBytes(700 * 1024).toString('hex') };
  const [deadId, behindId] = await db.transaction(async (trx) => [
    await appendEvent(trx, {
      aggregateType: 'order',
      aggregateId,
      eventType: 'TestPoison',
      payload: poison,
      headers,
    }),
    await appendEvent(trx, {
      aggregateType: 'order',
      aggregateId,
      eventType: 'TestBehind',
      payload: { ok: true },
      headers,
    }),
  ]);
  const relay = OutboxRelay.manual({
    config: system.config,
    databaseUrls: [system.config.databases.order],
    settings: { maxAttempts: 1 },
    createTopics: false,
  });
  try {
    const statusOf = async (id: string) =>
      (await db('outbox').where({ id }).first<{ status: string; attempts: number }>()).status;
    await eventually(
      async () => {
        await relay.drainOnce();
        return (await statusOf(deadId)) === 'dead' ? true : undefined;
      },
      'the poison row is dead',
      120_000,
    );
    expect(await statusOf(behindId)).toBe('pending');

    // the API names a database by its PostgreSQL name: the tests' own (DTX_DB_PREFIX: test_dtx_order)
    const orderDatabase = new URL(system.config.databases.order).pathname.slice(1);
    const list = await api.request('GET', '/v1/outbox/dead-letters');
    expect(list.status).toBe(200);
    const letter = list.body.deadLetters.find((d: { id: string }) => d.id === deadId);
    expect(letter).toMatchObject({
      id: deadId,
      database: orderDatabase,
      aggregateType: 'order',
      aggregateId,
      eventType: 'TestPoison',
      blockedCount: 1,
    });
    expect(letter.lastError).toEqual(expect.any(String));
    const lag = await api.request('GET', '/v1/outbox');
    expect(lag.status).toBe(200);
    const orderLag = lag.body.outboxes.find((o: { database: string }) => o.database === orderDatabase);
    expect(orderLag.deadCount).toBeGreaterThanOrEqual(1);
    expect(orderLag.blockedCount).toBeGreaterThanOrEqual(1);

    const unknown = await api.request(
      'POST',
      '/v1/outbox/dead-letters/00000000-0000-4000-8000-000000000000/redrive',
    );
    expect(unknown.status).toBe(404);

    // the operator fixes the row, then redrives it: it and the row behind it are delivered, in order
    await db('outbox')
      .where({ id: deadId })
      .update({ payload: JSON.stringify({ fixed: true }) });
    const redrive = await api.request('POST', `/v1/outbox/dead-letters/${deadId}/redrive`);
    expect(redrive.status).toBe(202);
    expect(redrive.body).toEqual({ redriven: [{ id: deadId, database: orderDatabase, released: 1 }] });
    expect(await db('outbox').where({ id: deadId }).first()).toMatchObject({
      status: 'pending',
      attempts: 0,
    });
    await eventually(async () => {
      await relay.drainOnce();
      return (await statusOf(behindId)) === 'sent' ? true : undefined;
    }, 'both rows are delivered');
    const rows = await db('outbox')
      .whereIn('id', [deadId, behindId])
      .select<{ id: string; status: string; sent_at: Date }[]>('id', 'status', 'sent_at');
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent']);
    const sentAt = Object.fromEntries(rows.map((r) => [r.id, r.sent_at.getTime()]));
    expect(sentAt[deadId]).toBeLessThanOrEqual(sentAt[behindId]);
    const listAfter = await api.request('GET', '/v1/outbox/dead-letters');
    expect(listAfter.body.deadLetters.map((d: { id: string }) => d.id)).not.toContain(deadId);
  } finally {
    await relay.stop();
  }
});
