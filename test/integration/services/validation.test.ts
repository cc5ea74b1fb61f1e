/**
 * Every RPC validates its input: a bad request gets INVALID_ARGUMENT naming the field and writes nothing
 * (no barrier row, no outbox row, no business change). Fractional int32/int64 values cannot cross the wire
 * (protobuf truncates them client-side), so fractions are covered by the validator unit tests.
 */
import type { ServiceName } from '../../../common/config';
import type { CreateOrderRequest } from '../../../proto/gen/dtx/v1/CreateOrderRequest';
import type { ReserveRequest } from '../../../proto/gen/dtx/v1/ReserveRequest';
import { call } from '../../../services/rpc/clients';
import { barrierOf, failure, outboxOfTx, startHarness, uid, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness(['order', 'inventory', 'coupon', 'payment']);
});
afterAll(() => h.stop());

const TX = uid('badtx');
const b = { txId: TX, branchId: 'step' };
const long = 'x'.repeat(129);
const tooManyItems = Array.from({ length: 101 }, (_, i) => ({ sku: `S${i}`, quantity: 1 }));
let sku = '';
let code = '';
let customerId = '';
let orderId = '';

beforeAll(async () => {
  sku = uid('SKU');
  await call(h.clients.inventory, 'upsertProduct', { sku, name: 'n', unitPrice: 100 });
  await call(h.clients.inventory, 'setStock', { sku, available: 5 });
  code = uid('CPN');
  await call(h.clients.coupon, 'issueCoupon', { code, discountType: 'FIXED', amountOff: 100 });
  customerId = uid('cust');
  await call(h.clients.payment, 'credit', {
    branch: { txId: uid('topup'), branchId: 'credit' },
    customerId,
    amount: 1000,
  });
  orderId = uid('o');
});

type Case = [name: string, service: ServiceName, run: () => Promise<unknown>, field: string];
const line = { sku: 'A', quantity: 1, unitPrice: 100 };

/** A valid Reserve call with `patch` applied (lazy: the SKU exists only after beforeAll); undefined drops a field. */
const reserveWith = (patch: () => Partial<ReserveRequest>) => () =>
  call(h.clients.inventory, 'reserve', {
    branch: b,
    orderId: 'o',
    items: [{ sku, quantity: 1 }],
    ...patch(),
  });
/** A valid CreateOrder call with `patch` applied; undefined drops a field. */
const createOrderWith = (patch: () => Partial<CreateOrderRequest>) => () =>
  call(h.clients.order, 'createOrder', { branch: b, orderId, customerId: 'c', lines: [line], ...patch() });

const cases: Case[] = [
  // inventory
  ['Reserve without branch', 'inventory', reserveWith(() => ({ branch: undefined })), 'branch'],
  ['Reserve without tx_id', 'inventory', reserveWith(() => ({ branch: { branchId: 'x' } })), 'branch.tx_id'],
  [
    'Reserve without branch_id',
    'inventory',
    reserveWith(() => ({ branch: { txId: TX } })),
    'branch.branch_id',
  ],
  [
    'Reserve with a 129-char tx_id',
    'inventory',
    reserveWith(() => ({ branch: { txId: long, branchId: 'x' } })),
    'branch.tx_id',
  ],
  ['Reserve without order_id', 'inventory', reserveWith(() => ({ orderId: undefined })), 'order_id'],
  ['Reserve with no items', 'inventory', reserveWith(() => ({ items: [] })), 'items'],
  ['Reserve with 101 items', 'inventory', reserveWith(() => ({ items: tooManyItems })), 'items'],
  [
    'Reserve quantity 0',
    'inventory',
    reserveWith(() => ({ items: [{ sku, quantity: 0 }] })),
    'items[0].quantity',
  ],
  [
    'Reserve quantity -2',
    'inventory',
    reserveWith(() => ({ items: [{ sku, quantity: -2 }] })),
    'items[0].quantity',
  ],
  [
    'Reserve quantity above the maximum',
    'inventory',
    reserveWith(() => ({ items: [{ sku, quantity: 1_000_001 }] })),
    'items[0].quantity',
  ],
  [
    'Reserve duplicate SKU',
    'inventory',
    reserveWith(() => ({
      items: [
        { sku, quantity: 1 },
        { sku, quantity: 1 },
      ],
    })),
    'items[1].sku',
  ],
  [
    'Reserve empty SKU',
    'inventory',
    reserveWith(() => ({ items: [{ sku: '', quantity: 1 }] })),
    'items[0].sku',
  ],
  [
    'Reserve 129-char SKU',
    'inventory',
    reserveWith(() => ({ items: [{ sku: long, quantity: 1 }] })),
    'items[0].sku',
  ],
  [
    'Reserve SKU with a space',
    'inventory',
    reserveWith(() => ({ items: [{ sku: 'a b', quantity: 1 }] })),
    'items[0].sku',
  ],
  [
    'TryReserve quantity 0',
    'inventory',
    () => call(h.clients.inventory, 'tryReserve', { branch: b, orderId: 'o', items: [{ sku, quantity: 0 }] }),
    'items[0].quantity',
  ],
  [
    'Release without branch',
    'inventory',
    () => call(h.clients.inventory, 'release', { reason: 'r' }),
    'branch',
  ],
  [
    'Release with a 1001-char reason',
    'inventory',
    () => call(h.clients.inventory, 'release', { branch: b, reason: 'r'.repeat(1001) }),
    'reason',
  ],
  [
    'ConfirmReserve without tx_id',
    'inventory',
    () => call(h.clients.inventory, 'confirmReserve', { branch: { branchId: 'x' } }),
    'branch.tx_id',
  ],
  [
    'CancelReserve without branch_id',
    'inventory',
    () => call(h.clients.inventory, 'cancelReserve', { branch: { txId: TX } }),
    'branch.branch_id',
  ],
  ['Quote with no items', 'inventory', () => call(h.clients.inventory, 'quote', { items: [] }), 'items'],
  ['GetStock with no SKUs', 'inventory', () => call(h.clients.inventory, 'getStock', { skus: [] }), 'skus'],
  [
    'GetStock duplicate SKU',
    'inventory',
    () => call(h.clients.inventory, 'getStock', { skus: [sku, sku] }),
    'skus[1]',
  ],
  [
    'UpsertProduct without sku',
    'inventory',
    () => call(h.clients.inventory, 'upsertProduct', { name: 'n', unitPrice: 1 }),
    'sku',
  ],
  [
    'UpsertProduct without name',
    'inventory',
    () => call(h.clients.inventory, 'upsertProduct', { sku, unitPrice: 1 }),
    'name',
  ],
  [
    'UpsertProduct negative price',
    'inventory',
    () => call(h.clients.inventory, 'upsertProduct', { sku, name: 'n', unitPrice: -1 }),
    'unit_price',
  ],
  [
    'UpsertProduct price above MAX_SAFE_INTEGER',
    'inventory',
    () => call(h.clients.inventory, 'upsertProduct', { sku, name: 'n', unitPrice: 2 ** 60 }),
    'unit_price',
  ],
  [
    'SetStock negative',
    'inventory',
    () => call(h.clients.inventory, 'setStock', { sku, available: -1 }),
    'available',
  ],
  // order
  ['CreateOrder without order_id', 'order', createOrderWith(() => ({ orderId: undefined })), 'order_id'],
  [
    'CreateOrder without customer_id',
    'order',
    createOrderWith(() => ({ customerId: undefined })),
    'customer_id',
  ],
  ['CreateOrder with no lines', 'order', createOrderWith(() => ({ lines: [] })), 'lines'],
  [
    'CreateOrder with 101 lines',
    'order',
    createOrderWith(() => ({ lines: tooManyItems.map((i) => ({ ...i, unitPrice: 1 })) })),
    'lines',
  ],
  [
    'CreateOrder quantity 0',
    'order',
    createOrderWith(() => ({ lines: [{ ...line, quantity: 0 }] })),
    'lines[0].quantity',
  ],
  ['CreateOrder duplicate SKU', 'order', createOrderWith(() => ({ lines: [line, line] })), 'lines[1].sku'],
  [
    'CreateOrder negative unit price',
    'order',
    createOrderWith(() => ({ lines: [{ ...line, unitPrice: -5 }] })),
    'lines[0].unit_price',
  ],
  [
    'CreateOrder wrong line_total',
    'order',
    createOrderWith(() => ({ lines: [{ ...line, quantity: 2, lineTotal: 100 }] })),
    'lines[0].line_total',
  ],
  [
    'CreateOrder line total past MAX_SAFE_INTEGER',
    'order',
    createOrderWith(() => ({ lines: [{ sku: 'A', quantity: 4, unitPrice: 2 ** 52 }] })),
    'lines[0].line_total',
  ],
  ['CreateOrder discount above subtotal', 'order', createOrderWith(() => ({ discount: 101 })), 'discount'],
  ['CreateOrder negative discount', 'order', createOrderWith(() => ({ discount: -1 })), 'discount'],
  ['CreateOrder unknown tx_mode', 'order', createOrderWith(() => ({ txMode: 'xa' })), 'tx_mode'],
  ['CreateOrder 129-char coupon code', 'order', createOrderWith(() => ({ couponCode: long })), 'coupon_code'],
  [
    'ConfirmOrder without order_id',
    'order',
    () => call(h.clients.order, 'confirmOrder', { branch: b }),
    'order_id',
  ],
  ['CancelOrder without branch', 'order', () => call(h.clients.order, 'cancelOrder', { orderId }), 'branch'],
  ['GetOrder without order_id', 'order', () => call(h.clients.order, 'getOrder', {}), 'order_id'],
  ['ListOrders without customer_id', 'order', () => call(h.clients.order, 'listOrders', {}), 'customer_id'],
  [
    'ListOrders page_size 101',
    'order',
    () => call(h.clients.order, 'listOrders', { customerId: 'c', pageSize: 101 }),
    'page_size',
  ],
  [
    'ListOrders forged page_token',
    'order',
    () => call(h.clients.order, 'listOrders', { customerId: 'c', pageToken: 'bm9wZQ' }),
    'page_token',
  ],
  // coupon
  [
    'Redeem without code',
    'coupon',
    () => call(h.clients.coupon, 'redeem', { branch: b, customerId: 'c', orderId: 'o', orderAmount: 100 }),
    'code',
  ],
  [
    'Redeem without customer_id',
    'coupon',
    () => call(h.clients.coupon, 'redeem', { branch: b, code, orderId: 'o', orderAmount: 100 }),
    'customer_id',
  ],
  [
    'Redeem without order_id',
    'coupon',
    () => call(h.clients.coupon, 'redeem', { branch: b, code, customerId: 'c', orderAmount: 100 }),
    'order_id',
  ],
  [
    'Redeem order_amount 0',
    'coupon',
    () =>
      call(h.clients.coupon, 'redeem', { branch: b, code, customerId: 'c', orderId: 'o', orderAmount: 0 }),
    'order_amount',
  ],
  [
    'TryLock negative order_amount',
    'coupon',
    () =>
      call(h.clients.coupon, 'tryLock', {
        branch: b,
        code,
        customerId: 'c',
        orderId: 'o',
        orderAmount: -100,
      }),
    'order_amount',
  ],
  [
    'TryLock order_amount above MAX_SAFE_INTEGER',
    'coupon',
    () =>
      call(h.clients.coupon, 'tryLock', {
        branch: b,
        code,
        customerId: 'c',
        orderId: 'o',
        orderAmount: 2 ** 60,
      }),
    'order_amount',
  ],
  ['Restore without branch', 'coupon', () => call(h.clients.coupon, 'restore', {}), 'branch'],
  [
    'Quote without customer_id',
    'coupon',
    () => call(h.clients.coupon, 'quote', { code, orderAmount: 1 }),
    'customer_id',
  ],
  ['GetCoupon without code', 'coupon', () => call(h.clients.coupon, 'getCoupon', {}), 'code'],
  [
    'IssueCoupon without discount_type',
    'coupon',
    () => call(h.clients.coupon, 'issueCoupon', { code: uid('C'), amountOff: 1 }),
    'discount_type',
  ],
  [
    'IssueCoupon FIXED amount_off 0',
    'coupon',
    () => call(h.clients.coupon, 'issueCoupon', { code: uid('C'), discountType: 'FIXED' }),
    'amount_off',
  ],
  [
    'IssueCoupon FIXED with percent_off',
    'coupon',
    () =>
      call(h.clients.coupon, 'issueCoupon', {
        code: uid('C'),
        discountType: 'FIXED',
        amountOff: 5,
        percentOff: 5,
      }),
    'percent_off',
  ],
  [
    'IssueCoupon PERCENT 101',
    'coupon',
    () => call(h.clients.coupon, 'issueCoupon', { code: uid('C'), discountType: 'PERCENT', percentOff: 101 }),
    'percent_off',
  ],
  [
    'IssueCoupon PERCENT negative cap',
    'coupon',
    () =>
      call(h.clients.coupon, 'issueCoupon', {
        code: uid('C'),
        discountType: 'PERCENT',
        percentOff: 5,
        maxDiscount: -1,
      }),
    'max_discount',
  ],
  [
    'IssueCoupon bad expires_at',
    'coupon',
    () =>
      call(h.clients.coupon, 'issueCoupon', {
        code: uid('C'),
        discountType: 'FIXED',
        amountOff: 5,
        expiresAt: 'tomorrow',
      }),
    'expires_at',
  ],
  [
    'IssueCoupon negative minimum',
    'coupon',
    () =>
      call(h.clients.coupon, 'issueCoupon', {
        code: uid('C'),
        discountType: 'FIXED',
        amountOff: 5,
        minOrderAmount: -1,
      }),
    'min_order_amount',
  ],
  // payment
  [
    'Charge amount 0',
    'payment',
    () => call(h.clients.payment, 'charge', { branch: b, customerId, orderId: 'o', amount: 0 }),
    'amount',
  ],
  [
    'Charge negative amount',
    'payment',
    () => call(h.clients.payment, 'charge', { branch: b, customerId, orderId: 'o', amount: -500 }),
    'amount',
  ],
  [
    'Charge amount 2^60',
    'payment',
    () => call(h.clients.payment, 'charge', { branch: b, customerId, orderId: 'o', amount: 2 ** 60 }),
    'amount',
  ],
  [
    'Charge amount MAX_SAFE_INTEGER + 1',
    'payment',
    () =>
      call(h.clients.payment, 'charge', {
        branch: b,
        customerId,
        orderId: 'o',
        amount: Number.MAX_SAFE_INTEGER + 1,
      }),
    'amount',
  ],
  [
    'Charge without customer_id',
    'payment',
    () => call(h.clients.payment, 'charge', { branch: b, orderId: 'o', amount: 1 }),
    'customer_id',
  ],
  [
    'Charge without order_id',
    'payment',
    () => call(h.clients.payment, 'charge', { branch: b, customerId, amount: 1 }),
    'order_id',
  ],
  [
    'TryFreeze amount 0',
    'payment',
    () => call(h.clients.payment, 'tryFreeze', { branch: b, customerId, orderId: 'o', amount: 0 }),
    'amount',
  ],
  [
    'Refund without tx_id',
    'payment',
    () => call(h.clients.payment, 'refund', { branch: { branchId: 'p' } }),
    'branch.tx_id',
  ],
  [
    'Credit amount 0',
    'payment',
    () => call(h.clients.payment, 'credit', { branch: b, customerId, amount: 0 }),
    'amount',
  ],
  [
    'Credit customer id with a control character',
    'payment',
    () => call(h.clients.payment, 'credit', { branch: b, customerId: 'a\u0001b', amount: 5 }),
    'customer_id',
  ],
  ['GetWallet without customer_id', 'payment', () => call(h.clients.payment, 'getWallet', {}), 'customer_id'],
];

test.each(cases)(
  '%s -> INVALID_ARGUMENT naming %4$s, nothing written',
  async (_name, service, run, field) => {
    const err = await failure(run());
    expect(err).toMatchObject({ codeName: 'INVALID_ARGUMENT', field, transient: false });
    expect(err.message.startsWith(`${field}:`)).toBe(true);
    expect(await barrierOf(h.db(service), TX)).toEqual([]);
    expect(await outboxOfTx(h.db(service), TX)).toEqual([]);
  },
);

test('after all bad requests, the business state is unchanged', async () => {
  const stock = await h.db('inventory')('stock').where({ sku }).first();
  expect([Number(stock.available), Number(stock.frozen), Number(stock.sold)]).toEqual([5, 0, 0]);
  expect((await h.db('inventory')('products').where({ sku }).first()).name).toBe('n');
  expect((await h.db('coupon')('coupons').where({ code }).first()).state).toBe('AVAILABLE');
  const wallet = await h.db('payment')('wallets').where({ customer_id: customerId }).first();
  expect([Number(wallet.balance), Number(wallet.frozen)]).toEqual([1000, 0]);
  expect(await h.db('order')('orders').where({ order_id: orderId })).toEqual([]);
  expect(await h.db('order')('orders').where({ tx_id: TX })).toEqual([]);
  expect(await h.db('inventory')('reservations').where({ tx_id: TX })).toEqual([]);
  expect(await h.db('payment')('payments').where({ tx_id: TX })).toEqual([]);
});
