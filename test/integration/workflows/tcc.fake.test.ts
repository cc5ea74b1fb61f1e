/**
 * placeOrderTcc's logic with FAKE activities on the real Temporal dev server: tries in parallel under a deadline,
 * confirm all or cancel all (each participant once), txState and TxStatus at each stage.
 */
import type { PlaceOrderInput } from '../../../workflows/contract';
import {
  block,
  fail,
  fakeOrderHarness,
  FAST_RETRY,
  Gate,
  UNIT_PRICE,
  COUPON_DISCOUNT,
  FULL_COVER_COUPON,
  type ActivityName,
} from './support/fake-activities';
import { txStatusOf, uniqueId, waitForTxState } from './support/temporal';

jest.setTimeout(60_000);

const { fakes, start } = fakeOrderHarness('tcc');

function input(withCoupon = true, tryTimeoutMs = 10_000): PlaceOrderInput {
  return {
    orderId: uniqueId('tcc'),
    customerId: uniqueId('cust'),
    items: [{ sku: 'sku-a', quantity: 3 }],
    couponCode: withCoupon ? 'SAVE5' : undefined,
    tryTimeoutMs,
    retry: FAST_RETRY,
  };
}

const PREFIX: ActivityName[] = ['quoteItems', 'quoteCoupon', 'createOrder'];
const TRIES: ActivityName[] = ['tryReserveStock', 'tryLockCoupon', 'tryFreezePayment'];
const CONFIRMS: ActivityName[] = ['confirmStock', 'confirmCoupon', 'confirmPayment'];
const CANCELS: ActivityName[] = ['cancelStock', 'cancelCoupon', 'cancelPayment'];
const sorted = (names: ActivityName[]) => [...names].sort();

/** Asserts the call list: prefix, then each group (any order inside a group, each exactly once), then the tail. */
function expectCalls(
  calls: ActivityName[],
  prefix: ActivityName[],
  groups: ActivityName[][],
  tail: ActivityName[],
) {
  let at = 0;
  expect(calls.slice(at, (at += prefix.length))).toEqual(prefix);
  for (const group of groups) expect(sorted(calls.slice(at, (at += group.length)))).toEqual(sorted(group));
  expect(calls.slice(at)).toEqual(tail);
}

/**
 * After an abort: the prefix, the tries (the given ones exactly once; a sibling cancelled before its worker picked it
 * up may never run), then every participant's cancel exactly once, CancelOrder last, and no confirm at all.
 */
function expectCancelledAll(calls: ActivityName[], ranTries: ActivityName[]) {
  expect(calls.slice(0, PREFIX.length)).toEqual(PREFIX);
  for (const t of TRIES) {
    const count = calls.filter((c) => c === t).length;
    expect(count).toBeLessThanOrEqual(1);
    if (ranTries.includes(t)) expect(count).toBe(1);
  }
  for (const c of CANCELS) expect(calls.filter((x) => x === c)).toHaveLength(1);
  const lastTry = Math.max(...ranTries.map((t) => calls.indexOf(t)));
  expect(Math.min(...CANCELS.map((c) => calls.indexOf(c)))).toBeGreaterThan(lastTry);
  expect(calls.some((c) => CONFIRMS.includes(c) || c === 'confirmOrder')).toBe(false);
  expect(calls[calls.length - 1]).toBe('cancelOrder');
  expect(calls.filter((c) => c === 'cancelOrder')).toHaveLength(1);
}

test('happy path: tries in parallel, confirm all, then ConfirmOrder; COMPLETED', async () => {
  const order = input();
  const handle = await start(order);
  const total = 3 * UNIT_PRICE - COUPON_DISCOUNT;
  await expect(handle.result()).resolves.toEqual({ status: 'COMPLETED', orderId: order.orderId, total });
  expectCalls(fakes.calls(handle.workflowId), PREFIX, [TRIES, CONFIRMS], ['confirmOrder']);

  const state = await waitForTxState(handle, () => true);
  expect(state).toMatchObject({ mode: 'tcc', status: 'COMPLETED', tryTimeoutMs: 10_000 });
  expect(state.steps.map((s) => [s.name, s.state, s.attempts])).toEqual([
    ['quote', 'done', { action: 1 }],
    ['order', 'done', { action: 1 }],
    ['inventory', 'done', { try: 1, confirm: 1 }],
    ['coupon', 'done', { try: 1, confirm: 1 }],
    ['payment', 'done', { try: 1, confirm: 1 }],
    ['confirm', 'done', { action: 1 }],
  ]);
  expect(await txStatusOf(handle)).toBe('COMPLETED');
});

test('without a coupon: two participants', async () => {
  const handle = await start(input(false));
  await expect(handle.result()).resolves.toMatchObject({ status: 'COMPLETED', total: 3 * UNIT_PRICE });
  expectCalls(
    fakes.calls(handle.workflowId),
    ['quoteItems', 'createOrder'],
    [
      ['tryReserveStock', 'tryFreezePayment'],
      ['confirmStock', 'confirmPayment'],
    ],
    ['confirmOrder'],
  );
});

test('a coupon covering the whole order: no payment participant, payment step skipped', async () => {
  const handle = await start({ ...input(), couponCode: FULL_COVER_COUPON });
  await expect(handle.result()).resolves.toMatchObject({ status: 'COMPLETED', total: 0 });
  expectCalls(
    fakes.calls(handle.workflowId),
    PREFIX,
    [
      ['tryReserveStock', 'tryLockCoupon'],
      ['confirmStock', 'confirmCoupon'],
    ],
    ['confirmOrder'],
  );
  const state = await waitForTxState(handle, () => true);
  expect(state.steps.find((s) => s.name === 'payment')).toMatchObject({ state: 'skipped', attempts: {} });
});

const rejections: { step: string; activity: ActivityName; reason: string }[] = [
  { step: 'inventory', activity: 'tryReserveStock', reason: 'INSUFFICIENT_STOCK' },
  { step: 'coupon', activity: 'tryLockCoupon', reason: 'COUPON_UNAVAILABLE' },
  { step: 'payment', activity: 'tryFreezePayment', reason: 'INSUFFICIENT_FUNDS' },
];

test.each(rejections)(
  'try rejected by $step → cancel every participant once (the failed one too), then CancelOrder',
  async ({ step, activity, reason }) => {
    const order = input();
    const handle = await start(order, { [activity]: [fail(reason)] });
    await expect(handle.result()).resolves.toEqual({
      status: 'COMPENSATED',
      orderId: order.orderId,
      reason,
      failedStep: step,
    });
    expectCancelledAll(fakes.calls(handle.workflowId), [activity]);

    const state = await waitForTxState(handle, () => true);
    expect(state).toMatchObject({ status: 'COMPENSATED', failedStep: step, reason });
    for (const name of ['inventory', 'coupon', 'payment']) {
      expect(state.steps.find((s) => s.name === name)).toMatchObject({
        state: 'compensated',
        op: 'cancel',
        attempts: { try: 1, cancel: 1 },
      });
    }
    expect(state.steps.find((s) => s.name === step)?.lastError).toMatchObject({
      op: 'try',
      type: reason,
      nonRetryable: true,
    });
    expect(state.steps.find((s) => s.name === 'order')).toMatchObject({
      state: 'compensated',
      attempts: { action: 1, compensate: 1 },
    });
    expect(state.steps.find((s) => s.name === 'confirm')?.state).toBe('skipped');
    expect(await txStatusOf(handle)).toBe('COMPENSATED');
  },
);

test('a try that outlives the deadline → TRY_TIMEOUT, cancel of every participant (the late one too)', async () => {
  const order = input(true, 1_000);
  const gate = new Gate();
  const handle = await start(order, { tryFreezePayment: [block(gate)] });
  await gate.entered;
  const trying = await waitForTxState(
    handle,
    (s) => s.steps.find((x) => x.name === 'payment')?.state === 'running',
  );
  expect(trying.status).toBe('RUNNING');
  expect(await txStatusOf(handle)).toBe('RUNNING');

  await expect(handle.result()).resolves.toEqual({
    status: 'COMPENSATED',
    orderId: order.orderId,
    reason: 'TRY_TIMEOUT',
    failedStep: 'payment',
  });
  gate.open();
  expectCancelledAll(fakes.calls(handle.workflowId), TRIES);
  const state = await waitForTxState(handle, () => true);
  expect(state.steps.find((s) => s.name === 'payment')).toMatchObject({
    state: 'compensated',
    attempts: { try: 1, cancel: 1 },
    lastError: { op: 'try', type: 'TRY_TIMEOUT' },
  });
});

test('a cancel that fails 3 times then succeeds: COMPENSATING with attempts and last error, then COMPENSATED', async () => {
  const order = input();
  const gate = new Gate();
  const down = fail('UNAVAILABLE', true);
  const handle = await start(order, {
    tryLockCoupon: [fail('COUPON_UNAVAILABLE')],
    cancelPayment: [down, down, down, block(gate)],
  });
  await gate.entered;
  const compensating = await waitForTxState(
    handle,
    (s) => s.steps.find((x) => x.name === 'payment')?.attempts.cancel === 4,
  );
  expect(compensating.status).toBe('COMPENSATING');
  expect(compensating.steps.find((s) => s.name === 'payment')).toMatchObject({
    state: 'compensating',
    lastError: { op: 'cancel', attempt: 3, type: 'UNAVAILABLE' },
  });
  expect(compensating.steps.find((s) => s.name === 'order')?.state).toBe('done'); // CancelOrder waits for every cancel
  expect(await txStatusOf(handle)).toBe('COMPENSATING');

  gate.open();
  await expect(handle.result()).resolves.toMatchObject({
    status: 'COMPENSATED',
    reason: 'COUPON_UNAVAILABLE',
    failedStep: 'coupon',
  });
  const calls = fakes.calls(handle.workflowId);
  expect(calls.filter((c) => c === 'cancelPayment')).toHaveLength(4);
  expectCancelledAll(
    calls.filter((c, i) => c !== 'cancelPayment' || calls.indexOf('cancelPayment') === i),
    ['tryLockCoupon'],
  );
  expect(await txStatusOf(handle)).toBe('COMPENSATED');
});

test('cancel during the tries → cancel every participant, CancelOrder', async () => {
  const order = input();
  const gate = new Gate();
  const handle = await start(order, { tryLockCoupon: [block(gate)] });
  await gate.entered;
  await handle.cancel();
  await expect(handle.result()).resolves.toEqual({
    status: 'COMPENSATED',
    orderId: order.orderId,
    reason: 'CANCELLED',
    failedStep: 'coupon',
  });
  gate.open();
  expectCancelledAll(fakes.calls(handle.workflowId), ['tryLockCoupon']);
  expect(await txStatusOf(handle)).toBe('COMPENSATED');
});

test('cancel once the confirms started: ignored, COMPLETED, nothing cancelled', async () => {
  const order = input();
  const gate = new Gate();
  const handle = await start(order, { confirmPayment: [block(gate)] });
  await gate.entered;
  await handle.cancel();
  gate.open();
  await expect(handle.result()).resolves.toMatchObject({ status: 'COMPLETED', orderId: order.orderId });
  expectCalls(fakes.calls(handle.workflowId), PREFIX, [TRIES, CONFIRMS], ['confirmOrder']);
  expect(await txStatusOf(handle)).toBe('COMPLETED');
});
