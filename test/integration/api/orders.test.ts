/* eslint-disable @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument -- answers are parsed JSON, asserted field by field */
/**
 * The API end to end against the running system: place (Saga and TCC), idempotent repeat, 409 on a changed body,
 * get (txState, order record, timeline), list with filters and pages, a compensated order, every bad input, auth on
 * and off, readiness — asserting what the databases hold.
 */
import type { PlaceOrderInput } from '../../../workflows/contract';
import { WORKFLOW_TYPES, type TxMode } from '../../../workflows/names';
import { workflowStartOptions } from '../../../workflows/start-options';
import {
  ErrorResponseSchema,
  OrderViewSchema,
  PlaceOrderResponseSchema,
  TransactionListSchema,
} from '../../../api/operations/schemas';
import { createDependencies } from '../../../api/operations/wiring';
import { BAD_INPUTS } from './support/bad-inputs';
import { fieldErrors } from '../../../api/operations/validation';
import { startApi, type RunningApi } from './support/http';
import { eventually, seed, startSystem, stockOf, uid, type Catalogue, type System } from './support/system';

let system: System;
let api: RunningApi;
let shop: Catalogue;
/** An order GET /v1/orders showed; its timeline is checked last (the projector may have a backlog to catch up). */
let viewedOrderId: string | undefined;

beforeAll(async () => {
  system = await startSystem({ events: true });
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
const walletBalance = async (customer: string) =>
  Number(
    (await system.db('payment')('wallets').where({ customer_id: customer }).first<{ balance: string }>())
      .balance,
  );

describe('POST /v1/orders', () => {
  test('a Saga order with a coupon completes: order CONFIRMED, stock sold, wallet charged, coupon used', async () => {
    const before = await walletBalance(shop.customer);
    const response = await api.request('POST', '/v1/orders?wait=true', {
      body: {
        customerId: shop.customer,
        items: [{ sku: shop.skus[0], quantity: 2 }],
        couponCode: shop.coupon,
        mode: 'saga',
      },
    });
    expect(response.status).toBe(200);
    expect(fieldErrors(PlaceOrderResponseSchema, response.body)).toEqual([]);
    const { orderId, workflowId, runId } = response.body;
    expect(workflowId).toBe(`order-${orderId}`);
    expect(response.body).toMatchObject({
      mode: 'saga',
      status: 'COMPLETED',
      replayed: false,
      outcome: { status: 'COMPLETED' },
    });
    expect(response.body.links).toEqual({
      status: `/v1/orders/${orderId}`,
      temporalUi: `${system.config.temporal.uiUrl}/namespaces/${system.config.temporal.namespace}/workflows/${workflowId}/${runId}`,
    });

    const total = 2 * shop.price - 200;
    expect(await orderRow(orderId)).toMatchObject({ status: 'CONFIRMED', total: String(total) });
    expect((await stockOf(system.db('inventory'), [shop.skus[0]]))[shop.skus[0]]).toEqual({
      available: 8,
      frozen: 0,
      sold: 2,
    });
    expect(await walletBalance(shop.customer)).toBe(before - total);
    const coupon = await system
      .db('coupon')('coupons')
      .where({ code: shop.coupon })
      .first<{ state: string; tx_id: string }>();
    expect(coupon).toMatchObject({ state: 'USED', tx_id: workflowId });
  });

  test('a TCC order completes: nothing left frozen', async () => {
    const before = await walletBalance(shop.customer);
    const response = await api.request('POST', '/v1/orders?wait=true', {
      body: { customerId: shop.customer, items: [{ sku: shop.skus[1], quantity: 3 }], mode: 'tcc' },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ mode: 'tcc', status: 'COMPLETED' });
    expect(await orderRow(response.body.orderId)).toMatchObject({
      status: 'CONFIRMED',
      total: String(3 * shop.price),
    });
    expect((await stockOf(system.db('inventory'), [shop.skus[1]]))[shop.skus[1]]).toEqual({
      available: 7,
      frozen: 0,
      sold: 3,
    });
    const wallet = await system
      .db('payment')('wallets')
      .where({ customer_id: shop.customer })
      .first<{ balance: string; frozen: string }>();
    expect({ balance: Number(wallet.balance), frozen: Number(wallet.frozen) }).toEqual({
      balance: before - 3 * shop.price,
      frozen: 0,
    });
    const described = await system.temporal.workflow.getHandle(response.body.workflowId).describe();
    expect(described.type).toBe(WORKFLOW_TYPES.tcc);
  });

  test('an order beyond the stock is compensated: 200 with the outcome, order CANCELLED, stock untouched', async () => {
    const before = await stockOf(system.db('inventory'), [shop.skus[0]]);
    const response = await api.request('POST', '/v1/orders?wait=true', {
      body: { customerId: shop.customer, items: [{ sku: shop.skus[0], quantity: 1000 }], mode: 'saga' },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      status: 'COMPENSATED',
      outcome: { status: 'COMPENSATED', reason: 'INSUFFICIENT_STOCK' },
    });
    expect(await orderRow(response.body.orderId)).toMatchObject({ status: 'CANCELLED' });
    expect(await stockOf(system.db('inventory'), [shop.skus[0]])).toEqual(before);
  });

  test('the same Idempotency-Key and body give the same transaction, before and after it finished', async () => {
    const key = uid('key');
    const body = {
      customerId: shop.customer,
      items: [
        { sku: shop.skus[0], quantity: 1 },
        { sku: shop.skus[1], quantity: 1 },
      ],
      mode: 'saga',
    };
    const first = await api.request('POST', '/v1/orders', { body, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(202);
    expect(first.body.replayed).toBe(false);
    expect(first.headers.get('idempotent-replayed')).toBeNull();

    // the same request (items in another order: the same order) while it may still run
    const reordered = { ...body, items: [...body.items].reverse() };
    const second = await api.request('POST', '/v1/orders', {
      body: reordered,
      headers: { 'idempotency-key': key },
    });
    expect(second.status).toBe(202);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toMatchObject({
      orderId: first.body.orderId,
      workflowId: first.body.workflowId,
      runId: first.body.runId,
      replayed: true,
    });

    const result = await system.temporal.workflow.getHandle(first.body.workflowId).result();
    expect(result).toMatchObject({ status: 'COMPLETED' });
    // after it closed: still the same run, with its outcome; no second workflow was started
    const third = await api.request('POST', '/v1/orders', { body, headers: { 'idempotency-key': key } });
    expect(third.status).toBe(202);
    expect(third.body).toMatchObject({ runId: first.body.runId, replayed: true, status: 'COMPLETED' });
    const runs = await system.temporal.workflowService.listWorkflowExecutions({
      namespace: system.config.temporal.namespace,
      query: `WorkflowId = '${first.body.workflowId}'`,
    });
    expect((runs.executions ?? []).map((e) => e.execution?.runId)).toEqual([first.body.runId]);
    const orders = await system
      .db('order')('orders')
      .where({ order_id: first.body.orderId })
      .count<{ count: string }[]>('* as count');
    expect(Number(orders[0].count)).toBe(1);
  });

  test('the same Idempotency-Key with another body is answered 409 and starts nothing', async () => {
    const key = uid('key');
    const body = { customerId: shop.customer, items: [{ sku: shop.skus[1], quantity: 1 }], mode: 'saga' };
    const first = await api.request('POST', '/v1/orders?wait=true', {
      body,
      headers: { 'idempotency-key': key },
    });
    expect(first.status).toBe(200);
    const stockAfterFirst = await stockOf(system.db('inventory'), [shop.skus[1]]);

    const changed = await api.request('POST', '/v1/orders', {
      body: { ...body, items: [{ sku: shop.skus[1], quantity: 2 }] },
      headers: { 'idempotency-key': key },
    });
    expect(changed.status).toBe(409);
    expect(changed.body.error).toMatchObject({ code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_REUSED' });
    const otherMode = await api.request('POST', '/v1/orders', {
      body: { ...body, mode: 'tcc' },
      headers: { 'idempotency-key': key },
    });
    expect(otherMode.status).toBe(409);
    expect(await stockOf(system.db('inventory'), [shop.skus[1]])).toEqual(stockAfterFirst);

    // keys are scoped per customer: another customer's identical key is another order
    const other = await seed(system.clients, { products: 1 });
    const otherCustomer = await api.request('POST', '/v1/orders', {
      body: { customerId: other.customer, items: [{ sku: other.skus[0], quantity: 1 }] },
      headers: { 'idempotency-key': key },
    });
    expect(otherCustomer.status).toBe(202);
    expect(otherCustomer.body.orderId).not.toBe(first.body.orderId);
    await system.temporal.workflow.getHandle(otherCustomer.body.workflowId).result();
  });
});

describe('GET /v1/orders/:orderId', () => {
  test('shows the txState from the workflow, the order record and the event timeline', async () => {
    const placed = await api.request('POST', '/v1/orders?wait=true', {
      body: { customerId: shop.customer, items: [{ sku: shop.skus[0], quantity: 1 }], mode: 'saga' },
    });
    expect(placed.body.status).toBe('COMPLETED');
    const orderId: string = placed.body.orderId;

    const response = await api.request('GET', `/v1/orders/${orderId}`);
    expect(response.status).toBe(200);
    expect(fieldErrors(OrderViewSchema, response.body)).toEqual([]);
    expect(response.body).toMatchObject({
      orderId,
      workflowId: `order-${orderId}`,
      runId: placed.body.runId,
      executionStatus: 'COMPLETED',
      txStateSource: 'query',
      txState: { status: 'COMPLETED', mode: 'saga', orderId },
      outcome: { status: 'COMPLETED' },
      order: {
        orderId,
        status: 'CONFIRMED',
        customerId: shop.customer,
        total: shop.price,
        lines: [{ sku: shop.skus[0], quantity: 1, unitPrice: shop.price }],
      },
    });
    const steps: Array<{ name: string; state: string }> = response.body.txState.steps;
    expect(steps.filter((s) => s.state === 'done').map((s) => s.name)).toEqual(
      expect.arrayContaining(['order', 'inventory', 'payment', 'confirm']),
    );
    expect(steps.every((s) => s.state === 'done' || s.state === 'skipped')).toBe(true);

    viewedOrderId = orderId;
  });

  test('an unknown order is 404', async () => {
    const response = await api.request('GET', `/v1/orders/${uid('nope')}`);
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('NOT_FOUND');
  });
});

describe('GET /v1/transactions', () => {
  test('lists by customer, status and mode from visibility, one page at a time', async () => {
    const buyer = await seed(system.clients, { products: 1, stock: 10 });
    const saga = await api.request('POST', '/v1/orders?wait=true', {
      body: { customerId: buyer.customer, items: [{ sku: buyer.skus[0], quantity: 1 }], mode: 'saga' },
    });
    const tcc = await api.request('POST', '/v1/orders?wait=true', {
      body: { customerId: buyer.customer, items: [{ sku: buyer.skus[0], quantity: 1 }], mode: 'tcc' },
    });
    const failed = await api.request('POST', '/v1/orders?wait=true', {
      body: { customerId: buyer.customer, items: [{ sku: buyer.skus[0], quantity: 99 }], mode: 'tcc' },
    });
    expect([saga.body.status, tcc.body.status, failed.body.status]).toEqual([
      'COMPLETED',
      'COMPLETED',
      'COMPENSATED',
    ]);

    const all = await eventually(async () => {
      const list = await api.request('GET', `/v1/transactions?customerId=${buyer.customer}`);
      return list.body.transactions?.length === 3 &&
        list.body.transactions.every((t: { txStatus: string }) => t.txStatus !== 'RUNNING')
        ? list
        : undefined;
    }, 'visibility lists the three transactions with their final status');
    expect(all.status).toBe(200);
    expect(fieldErrors(TransactionListSchema, all.body)).toEqual([]);
    expect(new Set(all.body.transactions.map((t: { workflowId: string }) => t.workflowId))).toEqual(
      new Set([saga.body.workflowId, tcc.body.workflowId, failed.body.workflowId]),
    );
    expect(all.body.transactions[0]).toMatchObject({
      customerId: buyer.customer,
      executionStatus: 'COMPLETED',
    });

    const completedTcc = await api.request(
      'GET',
      `/v1/transactions?customerId=${buyer.customer}&status=COMPLETED&mode=tcc`,
    );
    expect(completedTcc.body.transactions.map((t: { workflowId: string }) => t.workflowId)).toEqual([
      tcc.body.workflowId,
    ]);
    const compensated = await api.request(
      'GET',
      `/v1/transactions?customerId=${buyer.customer}&status=COMPENSATED`,
    );
    expect(
      compensated.body.transactions.map((t: { workflowId: string; mode: string }) => [t.workflowId, t.mode]),
    ).toEqual([[failed.body.workflowId, 'tcc']]);

    const seen: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const page = await api.request(
        'GET',
        `/v1/transactions?customerId=${buyer.customer}&pageSize=2${pageToken ? `&pageToken=${pageToken}` : ''}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.transactions.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.transactions.map((t: { workflowId: string }) => t.workflowId));
      pageToken = page.body.nextPageToken;
      pages++;
    } while (pageToken !== undefined && pages < 5);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(seen.sort()).toEqual([saga.body.workflowId, tcc.body.workflowId, failed.body.workflowId].sort());
  });
});

describe('bad input against the real system', () => {
  test.each(BAD_INPUTS)('$name → 400 naming the fields, nothing started', async (input) => {
    const response = await api.request(input.method, input.path, {
      body: input.body,
      rawBody: input.rawBody,
      headers: input.headers,
    });
    expect(response.status).toBe(400);
    expect(fieldErrors(ErrorResponseSchema, response.body)).toEqual([]);
    expect((response.body.error.fields ?? []).map((f: { path: string }) => f.path).sort()).toEqual(
      [...input.fields].sort(),
    );
  });

  test('a body over 64 KiB is 413', async () => {
    const response = await api.request('POST', '/v1/orders', {
      body: {
        customerId: shop.customer,
        items: [{ sku: shop.skus[0], quantity: 1 }],
        note: 'x'.repeat(70 * 1024),
      },
    });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('auth and health', () => {
  test('with DTX_API_KEY set: 401 without the key, the order is placed with it; /healthz stays open', async () => {
    const secured = await startApi({ deps: system.deps, apiKey: 'test-key' });
    try {
      const body = { customerId: shop.customer, items: [{ sku: shop.skus[1], quantity: 1 }] };
      const denied = await secured.request('POST', '/v1/orders', {
        body,
        headers: { 'idempotency-key': uid('k') },
      });
      expect(denied.status).toBe(401);
      expect(denied.body.error.code).toBe('UNAUTHORIZED');
      expect((await secured.request('GET', '/v1/transactions')).status).toBe(401);
      expect((await secured.request('GET', '/readyz', { headers: { 'x-api-key': 'wrong' } })).status).toBe(
        401,
      );
      expect((await secured.request('GET', '/healthz')).status).toBe(200);

      const key = uid('k');
      const placed = await secured.request('POST', '/v1/orders?wait=true', {
        body,
        headers: { authorization: 'Bearer test-key', 'idempotency-key': key },
      });
      expect(placed.status).toBe(200);
      expect(placed.body.status).toBe('COMPLETED');
      const read = await secured.request('GET', `/v1/orders/${placed.body.orderId}`, {
        headers: { 'x-api-key': 'test-key' },
      });
      expect(read.status).toBe(200);
      // auth off (the default app): no key needed
      expect((await api.request('GET', `/v1/orders/${placed.body.orderId}`)).status).toBe(200);
    } finally {
      await secured.close();
    }
  });

  test('/readyz: 200 when Temporal, every database and Kafka answer; 503 naming the one that does not', async () => {
    const ready = await api.request('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ready');
    expect(ready.body.checks.map((c: { name: string }) => c.name).sort()).toEqual(
      [
        'db:api',
        'db:coupon',
        'db:inventory',
        'db:order',
        'db:payment',
        'db:timeline',
        'kafka',
        'temporal',
      ].sort(),
    );
    expect(ready.body.checks.every((c: { ok: boolean }) => c.ok)).toBe(true);

    const broken = createDependencies({
      ...system.config,
      databases: { ...system.config.databases, payment: 'postgres://postgres@127.0.0.1:1/dtx_payment' },
    });
    const brokenApi = await startApi({ deps: broken });
    try {
      const response = await brokenApi.request('GET', '/readyz');
      expect(response.status).toBe(503);
      expect(response.body.status).toBe('unavailable');
      const failing = response.body.checks.filter((c: { ok: boolean }) => !c.ok);
      expect(failing.map((c: { name: string }) => c.name)).toEqual(['db:payment']);
      expect(failing[0].error).toEqual(expect.any(String));
    } finally {
      await brokenApi.close();
      await broken.close();
    }
  });
});

describe('without a worker', () => {
  test('GET falls back to what Temporal knows: the search attributes while running, the end state once closed', async () => {
    const taskQueue = `no-worker-${uid('q')}`;
    const deps = {
      ...system.deps,
      startTransaction: (mode: TxMode, input: PlaceOrderInput) => ({
        workflowType: WORKFLOW_TYPES[mode],
        options: workflowStartOptions(mode, input, { taskQueue }),
      }),
    };
    const lonely = await startApi({ deps });
    try {
      const placed = await lonely.request('POST', '/v1/orders', {
        body: { customerId: shop.customer, items: [{ sku: shop.skus[0], quantity: 1 }] },
      });
      expect(placed.status).toBe(202);
      const running = await lonely.request('GET', `/v1/orders/${placed.body.orderId}`);
      expect(running.status).toBe(200);
      // nobody runs the workflow: no order record yet, the state from the search attributes set at start
      expect(running.body).toMatchObject({
        executionStatus: 'RUNNING',
        txStateSource: 'visibility',
        txState: { status: 'RUNNING', mode: 'saga' },
        order: null,
      });

      await system.temporal.workflow.getHandle(placed.body.workflowId).terminate('no worker (test)');
      const closed = await lonely.request('GET', `/v1/orders/${placed.body.orderId}`);
      expect(closed.body).toMatchObject({
        executionStatus: 'TERMINATED',
        txStateSource: 'result',
        outcome: { status: 'FAILED' },
      });
    } finally {
      await lonely.close();
    }
  });
});

describe('timeline (last: the projector started with the system may first catch up on older events)', () => {
  test("an order's events arrive in its view through outbox → Kafka → projector", async () => {
    expect(viewedOrderId).toBeDefined();
    const orderId = viewedOrderId as string;
    const timeline = await eventually(
      async () => {
        const view = await api.request('GET', `/v1/orders/${orderId}`);
        const events: Array<{ eventType: string; aggregateType: string; position: number }> =
          view.body.timeline;
        // each aggregate type has its own topic: they arrive independently, so wait for all of them
        const types = new Set(events.map((e) => e.aggregateType));
        const confirmed = events.some((e) => e.aggregateType === 'order' && /confirm/i.test(e.eventType));
        return confirmed && types.has('inventory') && types.has('payment') ? events : undefined;
      },
      'the order timeline shows the confirmation, the reservation and the charge',
      240_000,
    );
    expect(timeline.filter((e) => e.aggregateType === 'order').length).toBeGreaterThanOrEqual(2);
    expect(timeline.map((e) => e.position)).toEqual(timeline.map((_, index) => index + 1));
  }, 300_000);
});
