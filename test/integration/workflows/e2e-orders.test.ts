/**
 * Both order flows end to end: real services and databases, the real activities, the Temporal dev server.
 * After each run, the truth of all four databases: stock, coupon, wallet, order, barrier rows, outbox events.
 */
import { call } from '../../../services/rpc/clients';
import type { PlaceOrderInput } from '../../../workflows/contract';
import type { TxMode } from '../../../workflows/names';
import { PRICE, seed, startSystem, truthOf, uid, type Shop, type System, type Truth } from './support/system';
import { txStatusOf, waitForTxState } from './support/temporal';

jest.setTimeout(120_000);

let system: System;
beforeAll(async () => {
  system = await startSystem();
});
afterAll(async () => {
  await system?.stop();
});

const FAST = { initialIntervalMs: 100, maximumIntervalMs: 500 };
const BALANCE = 100_000;

function order(shop: Shop, overrides: Partial<PlaceOrderInput> = {}): PlaceOrderInput {
  return {
    orderId: uid('ord'),
    customerId: shop.customer,
    items: [
      { sku: shop.skus[0], quantity: 2 },
      { sku: shop.skus[1], quantity: 1 },
    ],
    couponCode: shop.coupon,
    retry: FAST,
    ...overrides,
  };
}

const untouchedStock = (shop: Shop) =>
  Object.fromEntries(shop.skus.map((sku) => [sku, { available: 10, frozen: 0, sold: 0 }]));
const none = { order: [], inventory: [], coupon: [], payment: [] };

/** A participant's events after an aborted TCC: nothing, or its freeze and the unfreeze that undid it. */
function expectBalanced(events: string[], frozen: string, unfrozen: string) {
  expect([[], [frozen, unfrozen]]).toContainEqual(events);
}

describe.each<TxMode>(['saga', 'tcc'])('%s', (mode) => {
  const ops =
    mode === 'saga' ? { forward: 'action', undo: 'compensate' } : { forward: 'try', undo: 'cancel' };

  test('success: order CONFIRMED, stock sold, coupon USED, wallet debited; one event per change', async () => {
    const shop = await seed(system.clients, BALANCE);
    const input = order(shop);
    const handle = await system.start(mode, input);
    const total = 3 * PRICE - shop.couponOff;
    await expect(handle.result()).resolves.toEqual({ status: 'COMPLETED', orderId: input.orderId, total });

    const truth = await truthOf(system, shop, input.orderId, handle.workflowId);
    const [a, b] = shop.skus;
    const expected: Truth = {
      order: { status: 'CONFIRMED', total },
      stock: { [a]: { available: 8, frozen: 0, sold: 2 }, [b]: { available: 9, frozen: 0, sold: 1 } },
      coupon: { state: 'USED', txId: handle.workflowId },
      wallet: { balance: BALANCE - total, frozen: 0 },
      barrier:
        mode === 'saga'
          ? {
              order: ['confirm:action', 'order:action'],
              inventory: ['inventory:action'],
              coupon: ['coupon:action'],
              payment: ['payment:action'],
            }
          : {
              order: ['confirm:action', 'order:action'],
              inventory: ['inventory:confirm', 'inventory:try'],
              coupon: ['coupon:confirm', 'coupon:try'],
              payment: ['payment:confirm', 'payment:try'],
            },
      events:
        mode === 'saga'
          ? {
              order: ['OrderCreated', 'OrderConfirmed'],
              inventory: ['StockReserved', 'StockReserved'],
              coupon: ['CouponRedeemed'],
              payment: ['PaymentCharged'],
            }
          : {
              order: ['OrderCreated', 'OrderConfirmed'],
              inventory: ['StockFrozen', 'StockFrozen', 'StockConfirmed', 'StockConfirmed'],
              coupon: ['CouponFrozen', 'CouponConfirmed'],
              payment: ['PaymentFrozen', 'PaymentConfirmed'],
            },
    };
    expect(truth).toEqual(expected);
    expect(await txStatusOf(handle)).toBe('COMPLETED');
  });

  test('out of stock: rejected by inventory, everything undone, order CANCELLED', async () => {
    const shop = await seed(system.clients, BALANCE);
    const input = order(shop, { items: [{ sku: shop.skus[0], quantity: 11 }] });
    const handle = await system.start(mode, input);
    await expect(handle.result()).resolves.toEqual({
      status: 'COMPENSATED',
      orderId: input.orderId,
      reason: 'INSUFFICIENT_STOCK',
      failedStep: 'inventory',
    });

    const truth = await truthOf(system, shop, input.orderId, handle.workflowId);
    expect(truth).toMatchObject({
      order: { status: 'CANCELLED', total: 11 * PRICE - shop.couponOff },
      stock: untouchedStock(shop),
      coupon: { state: 'AVAILABLE', txId: null },
      wallet: { balance: BALANCE, frozen: 0 },
    });
    expect(truth.barrier.order).toEqual(['order:action', 'order:compensate']);
    expect(truth.events.order).toEqual(['OrderCreated', 'OrderCancelled']);
    // The rejected step itself was undone too: an empty compensation/cancel (its forward row written by the undo).
    expect(truth.barrier.inventory).toEqual(
      [`inventory:${ops.forward}+empty`, `inventory:${ops.undo}`].sort(),
    );
    expect(truth.events.inventory).toEqual([]);
    if (mode === 'saga') {
      expect(truth.barrier.coupon).toEqual([]);
      expect(truth.barrier.payment).toEqual([]);
      expect(truth.events).toMatchObject({ coupon: [], payment: [] });
    } else {
      for (const p of ['coupon', 'payment'] as const)
        expect(truth.barrier[p].map((r) => r.replace('+empty', ''))).toEqual([`${p}:cancel`, `${p}:try`]);
      expectBalanced(truth.events.coupon, 'CouponFrozen', 'CouponUnfrozen');
      expectBalanced(truth.events.payment, 'PaymentFrozen', 'PaymentUnfrozen');
    }
    const state = await waitForTxState(handle, () => true);
    expect(state).toMatchObject({
      status: 'COMPENSATED',
      failedStep: 'inventory',
      reason: 'INSUFFICIENT_STOCK',
    });
    expect(await txStatusOf(handle)).toBe('COMPENSATED');
  });

  test('coupon already used: rejected at the quote, nothing to undo, no order', async () => {
    const shop = await seed(system.clients, BALANCE);
    await call(system.clients.coupon, 'redeem', {
      branch: { txId: uid('other-tx'), branchId: 'coupon' },
      code: shop.coupon,
      customerId: shop.customer,
      orderId: uid('other-order'),
      orderAmount: 10_000,
    });
    const input = order(shop);
    const handle = await system.start(mode, input);
    await expect(handle.result()).resolves.toEqual({
      status: 'COMPENSATED',
      orderId: input.orderId,
      reason: 'COUPON_UNAVAILABLE',
      failedStep: 'quote',
    });

    const truth = await truthOf(system, shop, input.orderId, handle.workflowId);
    expect(truth).toEqual({
      order: undefined,
      stock: untouchedStock(shop),
      coupon: { state: 'USED', txId: expect.stringMatching(/^other-tx-/) },
      wallet: { balance: BALANCE, frozen: 0 },
      barrier: none,
      events: none,
    });
  });

  test('insufficient funds: rejected by payment, stock and coupon given back, order CANCELLED', async () => {
    const shop = await seed(system.clients, 1_000);
    const input = order(shop, { items: [{ sku: shop.skus[0], quantity: 2 }] });
    const handle = await system.start(mode, input);
    await expect(handle.result()).resolves.toEqual({
      status: 'COMPENSATED',
      orderId: input.orderId,
      reason: 'INSUFFICIENT_FUNDS',
      failedStep: 'payment',
    });

    const truth = await truthOf(system, shop, input.orderId, handle.workflowId);
    expect(truth).toMatchObject({
      order: { status: 'CANCELLED', total: 2 * PRICE - shop.couponOff },
      stock: untouchedStock(shop),
      coupon: { state: 'AVAILABLE', txId: null },
      wallet: { balance: 1_000, frozen: 0 },
    });
    expect(truth.barrier.order).toEqual(['order:action', 'order:compensate']);
    expect(truth.events.order).toEqual(['OrderCreated', 'OrderCancelled']);
    expect(truth.barrier.payment).toEqual([`payment:${ops.forward}+empty`, `payment:${ops.undo}`].sort());
    expect(truth.events.payment).toEqual([]);
    if (mode === 'saga') {
      expect(truth.barrier).toMatchObject({
        inventory: ['inventory:action', 'inventory:compensate'],
        coupon: ['coupon:action', 'coupon:compensate'],
      });
      expect(truth.events).toMatchObject({
        inventory: ['StockReserved', 'StockReleased'],
        coupon: ['CouponRedeemed', 'CouponRestored'],
      });
    } else {
      for (const p of ['inventory', 'coupon'] as const)
        expect(truth.barrier[p].map((r) => r.replace('+empty', ''))).toEqual([`${p}:cancel`, `${p}:try`]);
      expectBalanced(truth.events.inventory, 'StockFrozen', 'StockUnfrozen');
      expectBalanced(truth.events.coupon, 'CouponFrozen', 'CouponUnfrozen');
    }
    expect(await txStatusOf(handle)).toBe('COMPENSATED');
  });
});
