/**
 * Both flows against real services with injected faults (DTX_FAULTS spec of the in-process servers, changed per
 * test by restarting the service on its port): a transient fault that clears while the step retries, and a lost
 * response (the change commits, the caller times out). After each run, the truth of all four databases.
 */
import type { ServiceName } from '../../../common/config';
import type { PlaceOrderInput, TxState } from '../../../workflows/contract';
import type { TxMode } from '../../../workflows/names';
import { PRICE, seed, startSystem, truthOf, uid, type Shop, type System } from './support/system';
import { txStatusOf, waitForTxState } from './support/temporal';

jest.setTimeout(120_000);

const CALL_DEADLINE_MS = 2_000;
const BALANCE = 100_000;

let system: System;
const faulty = new Set<ServiceName>();

beforeAll(async () => {
  system = await startSystem({ activityOptions: { callDeadlineMs: CALL_DEADLINE_MS } });
});
afterEach(async () => {
  for (const service of faulty) await system.setFaults(service, '');
  faulty.clear();
});
afterAll(async () => {
  await system?.stop();
});

async function setFaults(service: ServiceName, spec: string): Promise<void> {
  faulty.add(service);
  await system.setFaults(service, spec);
}

/** Patient forward retries: the fault is lifted by the test while the step retries. */
const PATIENT = {
  initialIntervalMs: 200,
  maximumIntervalMs: 1_000,
  forwardMaximumAttempts: 60,
  forwardMaximumElapsedMs: 90_000,
};

function order(shop: Shop, overrides: Partial<PlaceOrderInput> = {}): PlaceOrderInput {
  return {
    orderId: uid('ord'),
    customerId: shop.customer,
    items: [{ sku: shop.skus[0], quantity: 2 }],
    couponCode: shop.coupon,
    tryTimeoutMs: 60_000,
    retry: PATIENT,
    ...overrides,
  };
}

const stepOf = (state: TxState, name: string) => state.steps.find((s) => s.name === name);

describe.each<TxMode>(['saga', 'tcc'])('%s', (mode) => {
  const forwardOp = mode === 'saga' ? 'action' : 'try';

  test('a transient fault (UNAVAILABLE) on payment that clears while retrying: COMPLETED, charged once', async () => {
    const method = mode === 'saga' ? 'Charge' : 'TryFreeze';
    await setFaults('payment', `payment.${method}=unavailable:1`);
    const shop = await seed(system.clients, BALANCE);
    const input = order(shop);
    const handle = await system.start(mode, input);

    // two attempts have FAILED (not merely started: a started one could reach the service after the fault is lifted)
    const failing = await waitForTxState(handle, (s) => (stepOf(s, 'payment')?.lastError?.attempt ?? 0) >= 2);
    expect(stepOf(failing, 'payment')).toMatchObject({
      state: 'running',
      lastError: { op: forwardOp, type: 'UNAVAILABLE', nonRetryable: false },
    });
    expect(failing.status).toBe('RUNNING');
    await setFaults('payment', ''); // the service recovers

    const total = 2 * PRICE - shop.couponOff;
    await expect(handle.result()).resolves.toEqual({ status: 'COMPLETED', orderId: input.orderId, total });
    const truth = await truthOf(system, shop, input.orderId, handle.workflowId);
    expect(truth).toMatchObject({
      order: { status: 'CONFIRMED', total },
      stock: { [shop.skus[0]]: { available: 8, frozen: 0, sold: 2 } },
      coupon: { state: 'USED', txId: handle.workflowId },
      wallet: { balance: BALANCE - total, frozen: 0 },
    });
    // Failed attempts never reached the handler: exactly one payment change and its event.
    expect(truth.barrier.payment).toEqual(
      mode === 'saga' ? ['payment:action'] : ['payment:confirm', 'payment:try'],
    );
    expect(truth.events.payment).toEqual(
      mode === 'saga' ? ['PaymentCharged'] : ['PaymentFrozen', 'PaymentConfirmed'],
    );
    const state = await waitForTxState(handle, () => true);
    expect(stepOf(state, 'payment')?.attempts[forwardOp]).toBeGreaterThanOrEqual(3);
    expect(await txStatusOf(handle)).toBe('COMPLETED');
  });

  test('a lost response on inventory, then the service answers again: the retry is a DUPLICATE, stock taken once', async () => {
    const method = mode === 'saga' ? 'Reserve' : 'TryReserve';
    await setFaults('inventory', `inventory.${method}=lose-response:1`);
    const shop = await seed(system.clients, BALANCE);
    const input = order(shop);
    const handle = await system.start(mode, input);

    const lost = await waitForTxState(
      handle,
      (s) => stepOf(s, 'inventory')?.lastError?.type === 'DEADLINE_EXCEEDED',
    );
    expect(stepOf(lost, 'inventory')?.state).toBe('running');
    await setFaults('inventory', '');

    const total = 2 * PRICE - shop.couponOff;
    await expect(handle.result()).resolves.toEqual({ status: 'COMPLETED', orderId: input.orderId, total });
    const truth = await truthOf(system, shop, input.orderId, handle.workflowId);
    expect(truth).toMatchObject({
      order: { status: 'CONFIRMED', total },
      stock: { [shop.skus[0]]: { available: 8, frozen: 0, sold: 2 } },
      wallet: { balance: BALANCE - total, frozen: 0 },
    });
    expect(truth.barrier.inventory).toEqual(
      mode === 'saga' ? ['inventory:action'] : ['inventory:confirm', 'inventory:try'],
    );
    expect(truth.events.inventory).toEqual(
      mode === 'saga' ? ['StockReserved'] : ['StockFrozen', 'StockConfirmed'],
    );
  });

  test('a response lost on every attempt: the step fails, its undo really undoes the applied change; all consistent', async () => {
    const method = mode === 'saga' ? 'Reserve' : 'TryReserve';
    await setFaults('inventory', `inventory.${method}=lose-response:1`);
    const shop = await seed(system.clients, BALANCE);
    const input = order(shop, {
      retry: { initialIntervalMs: 100, maximumIntervalMs: 200, forwardMaximumAttempts: 2 },
    });
    const handle = await system.start(mode, input);

    await expect(handle.result()).resolves.toEqual({
      status: 'COMPENSATED',
      orderId: input.orderId,
      reason: 'DEADLINE_EXCEEDED',
      failedStep: 'inventory',
    });
    const truth = await truthOf(system, shop, input.orderId, handle.workflowId);
    expect(truth).toMatchObject({
      order: { status: 'CANCELLED', total: 2 * PRICE - shop.couponOff },
      stock: { [shop.skus[0]]: { available: 10, frozen: 0, sold: 0 } },
      coupon: { state: 'AVAILABLE', txId: null },
      wallet: { balance: BALANCE, frozen: 0 },
    });
    // The reserve DID apply (its response was lost), so the undo is a real one, not an empty one.
    const undo = mode === 'saga' ? 'compensate' : 'cancel';
    expect(truth.barrier.inventory).toEqual([`inventory:${forwardOp}`, `inventory:${undo}`].sort());
    expect(truth.events.inventory).toEqual(
      mode === 'saga' ? ['StockReserved', 'StockReleased'] : ['StockFrozen', 'StockUnfrozen'],
    );
    expect(truth.barrier.order).toEqual(['order:action', 'order:compensate']);
    expect(truth.events.order).toEqual(['OrderCreated', 'OrderCancelled']);
    const state = await waitForTxState(handle, () => true);
    expect(stepOf(state, 'inventory')).toMatchObject({
      state: 'compensated',
      attempts: { [forwardOp]: 2, [undo]: 1 },
    });
    expect(await txStatusOf(handle)).toBe('COMPENSATED');
  });
});
