/** Order service over real gRPC and PostgreSQL: create, confirm, cancel, get, list, with database truth and events. */
import { call } from '../../../services/rpc/clients';
import { barrierOf, branch, failure, outboxOfAggregate, startHarness, uid, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness(['order']);
});
afterAll(() => h.stop());

const lines = [
  { sku: 'MUG', quantity: 2, unitPrice: 1250 },
  { sku: 'TEE', quantity: 1, unitPrice: 2000, lineTotal: 2000 },
];

async function create(orderId: string, customerId: string, discount = 0): Promise<void> {
  await call(h.clients.order, 'createOrder', {
    branch: branch(`order-${orderId}`, 'order'),
    orderId,
    customerId,
    lines,
    discount,
    couponCode: discount > 0 ? 'SAVE' : '',
    txMode: 'saga',
  });
}

test('CreateOrder records a PENDING order with priced lines, subtotal, discount, total; OrderCreated event', async () => {
  const orderId = uid('o');
  const customerId = uid('cust');
  const result = await call(h.clients.order, 'createOrder', {
    branch: branch(`order-${orderId}`, 'order'),
    orderId,
    customerId,
    lines,
    discount: 500,
    couponCode: 'SAVE5',
    txMode: 'tcc',
  });
  expect(result.outcome).toBe('APPLIED');
  expect(result.order).toMatchObject({
    orderId,
    customerId,
    status: 'PENDING',
    subtotal: 4500,
    discount: 500,
    total: 4000,
    couponCode: 'SAVE5',
    txMode: 'tcc',
    txId: `order-${orderId}`,
  });
  const row = await h.db('order')('orders').where({ order_id: orderId }).first();
  expect([row.status, Number(row.subtotal), Number(row.discount), Number(row.total), row.tx_id]).toEqual([
    'PENDING',
    4500,
    500,
    4000,
    `order-${orderId}`,
  ]);
  const lineRows = await h.db('order')('order_lines').where({ order_id: orderId }).orderBy('line_no');
  expect(
    lineRows.map((l: { sku: string; quantity: number; unit_price: string; line_total: string }) => [
      l.sku,
      l.quantity,
      Number(l.unit_price),
      Number(l.line_total),
    ]),
  ).toEqual([
    ['MUG', 2, 1250, 2500],
    ['TEE', 1, 2000, 2000],
  ]);
  const events = await outboxOfAggregate(h.db('order'), orderId);
  expect(events.map((e) => [e.aggregate_type, e.event_type])).toEqual([['order', 'OrderCreated']]);
  expect(events[0].payload).toMatchObject({
    orderId,
    customerId,
    total: 4000,
    lines: [{ sku: 'MUG', lineTotal: 2500 }, { sku: 'TEE' }],
  });
  expect(events[0].headers).toEqual({ 'tx-id': `order-${orderId}` });
});

test('ConfirmOrder: PENDING -> CONFIRMED with OrderConfirmed; a later CancelOrder is refused (ORDER_NOT_PENDING)', async () => {
  const orderId = uid('o');
  await create(orderId, uid('cust'));
  const confirmed = await call(h.clients.order, 'confirmOrder', {
    branch: branch(`order-${orderId}`, 'confirm'),
    orderId,
  });
  expect(confirmed).toMatchObject({ outcome: 'APPLIED', order: { status: 'CONFIRMED' } });
  expect((await h.db('order')('orders').where({ order_id: orderId }).first()).status).toBe('CONFIRMED');
  const err = await failure(
    call(h.clients.order, 'cancelOrder', {
      branch: branch(`order-${orderId}`, 'order'),
      orderId,
      reason: 'late',
    }),
  );
  expect(err).toMatchObject({ codeName: 'FAILED_PRECONDITION', reason: 'ORDER_NOT_PENDING' });
  expect((await h.db('order')('orders').where({ order_id: orderId }).first()).status).toBe('CONFIRMED');
  expect((await outboxOfAggregate(h.db('order'), orderId)).map((e) => e.event_type)).toEqual([
    'OrderCreated',
    'OrderConfirmed',
  ]);
  // the refused cancel rolled back its barrier rows
  expect(await barrierOf(h.db('order'), `order-${orderId}`)).toEqual(['confirm:action:', 'order:action:']);
});

test('CancelOrder: PENDING -> CANCELLED with the reason; a later ConfirmOrder is refused (ALREADY_CANCELLED)', async () => {
  const orderId = uid('o');
  await create(orderId, uid('cust'));
  const cancelled = await call(h.clients.order, 'cancelOrder', {
    branch: branch(`order-${orderId}`, 'order'),
    orderId,
    reason: 'INSUFFICIENT_FUNDS at payment',
  });
  expect(cancelled).toMatchObject({
    outcome: 'APPLIED',
    order: { status: 'CANCELLED', cancelReason: 'INSUFFICIENT_FUNDS at payment' },
  });
  const row = await h.db('order')('orders').where({ order_id: orderId }).first();
  expect([row.status, row.cancel_reason]).toEqual(['CANCELLED', 'INSUFFICIENT_FUNDS at payment']);
  expect(
    await failure(
      call(h.clients.order, 'confirmOrder', { branch: branch(`order-${orderId}`, 'confirm'), orderId }),
    ),
  ).toMatchObject({ reason: 'ALREADY_CANCELLED' });
  const events = await outboxOfAggregate(h.db('order'), orderId);
  expect(events.map((e) => e.event_type)).toEqual(['OrderCreated', 'OrderCancelled']);
  expect(events[1].payload).toMatchObject({
    orderId,
    reason: 'INSUFFICIENT_FUNDS at payment',
    status: 'CANCELLED',
  });
});

test('an order id taken by another transaction -> ALREADY_EXISTS, the first order untouched', async () => {
  const orderId = uid('o');
  await create(orderId, 'first-customer');
  const err = await failure(
    call(h.clients.order, 'createOrder', {
      branch: branch(uid('other-tx'), 'order'),
      orderId,
      customerId: 'second',
      lines,
      txMode: 'saga',
    }),
  );
  expect(err).toMatchObject({
    codeName: 'ALREADY_EXISTS',
    resource: 'order',
    resourceId: orderId,
    transient: false,
  });
  expect((await h.db('order')('orders').where({ order_id: orderId }).first()).customer_id).toBe(
    'first-customer',
  );
  // and a branch of another transaction may not confirm it
  expect(
    await failure(
      call(h.clients.order, 'confirmOrder', { branch: branch(uid('other-tx'), 'confirm'), orderId }),
    ),
  ).toMatchObject({ reason: 'TX_MISMATCH' });
});

test('GetOrder returns the order; unknown -> NOT_FOUND', async () => {
  const orderId = uid('o');
  const customerId = uid('cust');
  await create(orderId, customerId, 300);
  const order = await call(h.clients.order, 'getOrder', { orderId });
  expect(order).toMatchObject({
    orderId,
    customerId,
    status: 'PENDING',
    subtotal: 4500,
    discount: 300,
    total: 4200,
    couponCode: 'SAVE',
    txMode: 'saga',
  });
  expect(order.lines).toHaveLength(2);
  expect(Date.parse(order.createdAt)).not.toBeNaN();
  expect(await failure(call(h.clients.order, 'getOrder', { orderId: uid('missing') }))).toMatchObject({
    codeName: 'NOT_FOUND',
    resource: 'order',
  });
  expect(
    await failure(
      call(h.clients.order, 'confirmOrder', {
        branch: branch(uid('tx'), 'confirm'),
        orderId: uid('missing'),
      }),
    ),
  ).toMatchObject({ codeName: 'NOT_FOUND' });
});

test("ListOrders pages a customer's orders newest first with an opaque token", async () => {
  const customerId = uid('cust');
  const ids = [uid('o1'), uid('o2'), uid('o3'), uid('o4'), uid('o5')];
  for (const id of ids) await create(id, customerId);
  await create(uid('other'), uid('cust'));
  const page1 = await call(h.clients.order, 'listOrders', { customerId, pageSize: 2 });
  const page2 = await call(h.clients.order, 'listOrders', {
    customerId,
    pageSize: 2,
    pageToken: page1.nextPageToken,
  });
  const page3 = await call(h.clients.order, 'listOrders', {
    customerId,
    pageSize: 2,
    pageToken: page2.nextPageToken,
  });
  expect([...page1.orders, ...page2.orders, ...page3.orders].map((o) => o.orderId)).toEqual(
    [...ids].reverse(),
  );
  expect(page3.nextPageToken).toBe('');
  expect(page1.orders[0].lines).toHaveLength(2);
  const all = await call(h.clients.order, 'listOrders', { customerId });
  expect(all.orders).toHaveLength(5);
  expect((await call(h.clients.order, 'listOrders', { customerId: uid('nobody') })).orders).toEqual([]);
});
