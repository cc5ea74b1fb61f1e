/**
 * placeOrderSaga's logic with FAKE activities on the real Temporal dev server: the calls it makes (order and
 * count), the result, txState and the TxStatus search attribute at each stage.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../../../common/config';
import { temporalConnectionOptions } from '../../../common/temporal';
import type { PlaceOrderInput, PlaceOrderResult } from '../../../workflows/contract';
import { WORKFLOW_TYPES } from '../../../workflows/names';
import { workflowStartOptions } from '../../../workflows/start-options';
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
import { startTestWorker, txStatusOf, uniqueId, waitForTxState, type TestTemporal } from './support/temporal';

jest.setTimeout(60_000);

const { fakes, start } = fakeOrderHarness('saga');

function input(withCoupon = true): PlaceOrderInput {
  return {
    orderId: uniqueId('saga'),
    customerId: uniqueId('cust'),
    items: [
      { sku: 'sku-a', quantity: 2 },
      { sku: 'sku-b', quantity: 1 },
    ],
    couponCode: withCoupon ? 'SAVE5' : undefined,
    retry: FAST_RETRY,
  };
}

const FORWARD: ActivityName[] = [
  'quoteItems',
  'quoteCoupon',
  'createOrder',
  'reserveStock',
  'redeemCoupon',
  'chargePayment',
  'confirmOrder',
];

test('happy path: every step once, in order; COMPLETED with the catalogue total; memo and TxStatus', async () => {
  const order = input();
  const handle = await start(order);
  const result: PlaceOrderResult = await handle.result();

  const total = 3 * UNIT_PRICE - COUPON_DISCOUNT;
  expect(result).toEqual({ status: 'COMPLETED', orderId: order.orderId, total });
  expect(fakes.calls(handle.workflowId)).toEqual(FORWARD);
  const state = await waitForTxState(handle, () => true);
  expect(state.status).toBe('COMPLETED');
  expect(state.quote).toMatchObject({ subtotal: 3 * UNIT_PRICE, discount: COUPON_DISCOUNT, total });
  expect(state.steps.map((s) => [s.name, s.state, s.attempts])).toEqual([
    ['quote', 'done', { action: 1 }],
    ['order', 'done', { action: 1 }],
    ['inventory', 'done', { action: 1 }],
    ['coupon', 'done', { action: 1 }],
    ['payment', 'done', { action: 1 }],
    ['confirm', 'done', { action: 1 }],
  ]);
  expect(await txStatusOf(handle)).toBe('COMPLETED');
  const description = await handle.describe();
  expect(description.memo).toMatchObject({ total, subtotal: 3 * UNIT_PRICE, discount: COUPON_DISCOUNT });
  expect(description.typedSearchAttributes.get({ name: 'OrderId', type: 'KEYWORD' })).toBe(order.orderId);
  // User metadata for the UI: the starter's static summary, the workflow's current details, each call's summary
  // (on the local activity's marker).
  expect(await description.staticSummary()).toContain(order.orderId);
  const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
  expect(metadata.currentDetails).toContain('— **COMPLETED**');
  expect(metadata.currentDetails).toContain(
    `| inventory: Reserve 2× sku-a, 1× sku-b for order ${order.orderId} (rollback: release) | done | action ×1 |`,
  );
  const history = await handle.fetchHistory();
  const events = history.events ?? [];
  const summaries = events
    .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')
    .map((e) => e.userMetadata?.summary?.data && Buffer.from(e.userMetadata.summary.data).toString());
  expect(summaries).toContainEqual(
    expect.stringContaining(`inventory.Reserve: 2× sku-a, 1× sku-b for order ${order.orderId}`),
  );
  // A new workflow records the local-activities patch and runs every call as a local activity, except the pivot:
  // it is a remote activity, scheduled (recorded) before it runs.
  expect(events.some((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')).toBe(true);
  expect(summaries).toHaveLength(FORWARD.length - 1);
  const scheduled = events.filter((e) => e.activityTaskScheduledEventAttributes);
  expect(scheduled.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name)).toEqual([
    'confirmOrder',
  ]);
});

test('a coupon covering the whole order: nothing to charge, payment step skipped, COMPLETED', async () => {
  const handle = await start({ ...input(), couponCode: FULL_COVER_COUPON });
  await expect(handle.result()).resolves.toMatchObject({ status: 'COMPLETED', total: 0 });
  expect(fakes.calls(handle.workflowId)).toEqual(FORWARD.filter((name) => name !== 'chargePayment'));
  const state = await waitForTxState(handle, () => true);
  expect(state.steps.find((s) => s.name === 'payment')).toMatchObject({ state: 'skipped', attempts: {} });
});

test('without a coupon: no coupon calls, the coupon step is skipped', async () => {
  const handle = await start(input(false));
  await expect(handle.result()).resolves.toMatchObject({ status: 'COMPLETED', total: 3 * UNIT_PRICE });
  expect(fakes.calls(handle.workflowId)).toEqual([
    'quoteItems',
    'createOrder',
    'reserveStock',
    'chargePayment',
    'confirmOrder',
  ]);
  const state = await waitForTxState(handle, () => true);
  expect(state.steps.find((s) => s.name === 'coupon')).toMatchObject({ state: 'skipped', attempts: {} });
});

/** For a rejection at each step: the calls up to it, then exactly the compensations of the steps started, in reverse. */
const rejections: { step: string; activity: ActivityName; reason: string; expected: ActivityName[] }[] = [
  { step: 'quote', activity: 'quoteItems', reason: 'NotFound', expected: ['quoteItems'] },
  {
    step: 'quote',
    activity: 'quoteCoupon',
    reason: 'COUPON_UNAVAILABLE',
    expected: ['quoteItems', 'quoteCoupon'],
  },
  {
    step: 'order',
    activity: 'createOrder',
    reason: 'InvalidArgument',
    expected: [...FORWARD.slice(0, 3), 'cancelOrder'],
  },
  {
    step: 'inventory',
    activity: 'reserveStock',
    reason: 'INSUFFICIENT_STOCK',
    expected: [...FORWARD.slice(0, 4), 'releaseStock', 'cancelOrder'],
  },
  {
    step: 'coupon',
    activity: 'redeemCoupon',
    reason: 'COUPON_UNAVAILABLE',
    expected: [...FORWARD.slice(0, 5), 'restoreCoupon', 'releaseStock', 'cancelOrder'],
  },
  {
    step: 'payment',
    activity: 'chargePayment',
    reason: 'INSUFFICIENT_FUNDS',
    expected: [...FORWARD.slice(0, 6), 'refundPayment', 'restoreCoupon', 'releaseStock', 'cancelOrder'],
  },
  {
    step: 'confirm',
    activity: 'confirmOrder',
    reason: 'ORDER_NOT_PENDING',
    expected: [...FORWARD, 'refundPayment', 'restoreCoupon', 'releaseStock', 'cancelOrder'],
  },
];

test.each(rejections)(
  'rejection at $activity → compensations in reverse, each once',
  async ({ step, activity, reason, expected }) => {
    const order = input();
    const handle = await start(order, { [activity]: [fail(reason)] });
    await expect(handle.result()).resolves.toEqual({
      status: 'COMPENSATED',
      orderId: order.orderId,
      reason,
      failedStep: step,
    });
    expect(fakes.calls(handle.workflowId)).toEqual(expected);

    const state = await waitForTxState(handle, () => true);
    expect(state).toMatchObject({ status: 'COMPENSATED', failedStep: step, reason });
    const failed = state.steps.find((s) => s.name === step);
    expect(failed?.lastError).toMatchObject({ op: 'action', attempt: 1, type: reason, nonRetryable: true });
    // A rejection is not retried: one attempt of the failing step.
    expect(failed?.attempts.action).toBe(1);
    // Every step with a compensation that started is compensated once; the others never ran.
    for (const s of state.steps) {
      if (s.name === 'quote' || s.name === 'confirm') continue;
      const started = s.attempts.action !== undefined;
      expect([s.name, s.state, s.attempts.compensate]).toEqual(
        started ? [s.name, 'compensated', 1] : [s.name, 'skipped', undefined],
      );
    }
    expect(await txStatusOf(handle)).toBe('COMPENSATED');
  },
);

test('a transient failure that persists: bounded attempts, then compensation like a rejection', async () => {
  const order = input();
  const unavailable = fail('UNAVAILABLE', true);
  const handle = await start(order, { chargePayment: [unavailable, unavailable, unavailable] });
  await expect(handle.result()).resolves.toMatchObject({
    status: 'COMPENSATED',
    reason: 'UNAVAILABLE',
    failedStep: 'payment',
  });
  expect(fakes.calls(handle.workflowId)).toEqual([
    ...FORWARD.slice(0, 5),
    'chargePayment',
    'chargePayment',
    'chargePayment',
    'refundPayment',
    'restoreCoupon',
    'releaseStock',
    'cancelOrder',
  ]);
  const state = await waitForTxState(handle, () => true);
  expect(state.steps.find((s) => s.name === 'payment')).toMatchObject({
    state: 'compensated',
    attempts: { action: 3, compensate: 1 },
    lastError: { op: 'action', attempt: 3, type: 'UNAVAILABLE', nonRetryable: false },
  });
});

test('a transient failure that clears: retried, then COMPLETED', async () => {
  const handle = await start(input(), { reserveStock: [fail('UNAVAILABLE', true)] });
  await expect(handle.result()).resolves.toMatchObject({ status: 'COMPLETED' });
  expect(fakes.calls(handle.workflowId)).toEqual([
    ...FORWARD.slice(0, 4),
    'reserveStock',
    ...FORWARD.slice(4),
  ]);
  const state = await waitForTxState(handle, () => true);
  expect(state.steps.find((s) => s.name === 'inventory')).toMatchObject({
    state: 'done',
    attempts: { action: 2 },
  });
});

test('a compensation that fails 3 times then succeeds: COMPENSATING with attempts and last error, then COMPENSATED', async () => {
  const order = input();
  const gate = new Gate();
  const down = fail('UNAVAILABLE', true);
  const handle = await start(order, {
    chargePayment: [fail('INSUFFICIENT_FUNDS')],
    releaseStock: [down, down, down, block(gate)],
  });

  await gate.entered; // the 4th attempt is running
  const compensating = await waitForTxState(
    handle,
    (s) => s.steps.find((x) => x.name === 'inventory')?.attempts.compensate === 4,
  );
  expect(compensating.status).toBe('COMPENSATING');
  expect(compensating.steps.find((s) => s.name === 'inventory')).toMatchObject({
    state: 'compensating',
    lastError: { op: 'compensate', attempt: 3, type: 'UNAVAILABLE' },
  });
  // Reverse order: payment and coupon are already compensated, order not yet.
  expect(compensating.steps.find((s) => s.name === 'payment')?.state).toBe('compensated');
  expect(compensating.steps.find((s) => s.name === 'coupon')?.state).toBe('compensated');
  expect(compensating.steps.find((s) => s.name === 'order')?.state).toBe('done');
  expect(await txStatusOf(handle)).toBe('COMPENSATING');

  gate.open();
  await expect(handle.result()).resolves.toMatchObject({
    status: 'COMPENSATED',
    reason: 'INSUFFICIENT_FUNDS',
    failedStep: 'payment',
  });
  expect(fakes.calls(handle.workflowId)).toEqual([
    ...FORWARD.slice(0, 6),
    'refundPayment',
    'restoreCoupon',
    'releaseStock',
    'releaseStock',
    'releaseStock',
    'releaseStock',
    'cancelOrder',
  ]);
  const final = await waitForTxState(handle, () => true);
  expect(final.steps.find((s) => s.name === 'inventory')).toMatchObject({
    state: 'compensated',
    attempts: { action: 1, compensate: 4 },
  });
  expect(await txStatusOf(handle)).toBe('COMPENSATED');
});

test('cancel during the forward phase: the step in flight and the ones before it are compensated', async () => {
  const order = input();
  const gate = new Gate();
  const handle = await start(order, { chargePayment: [block(gate)] });
  await gate.entered;
  const running = await waitForTxState(
    handle,
    (s) => s.steps.find((x) => x.name === 'payment')?.state === 'running',
  );
  expect(running.status).toBe('RUNNING');
  expect(await txStatusOf(handle)).toBe('RUNNING');

  await handle.cancel();
  await expect(handle.result()).resolves.toEqual({
    status: 'COMPENSATED',
    orderId: order.orderId,
    reason: 'CANCELLED',
    failedStep: 'payment',
  });
  gate.open();
  expect(fakes.calls(handle.workflowId)).toEqual([
    ...FORWARD.slice(0, 6),
    'refundPayment',
    'restoreCoupon',
    'releaseStock',
    'cancelOrder',
  ]);
  const state = await waitForTxState(handle, () => true);
  expect(state.steps.map((s) => s.state)).toEqual([
    'done',
    'compensated',
    'compensated',
    'compensated',
    'compensated',
    'skipped',
  ]);
  expect(await txStatusOf(handle)).toBe('COMPENSATED');
});

test('cancel after the pivot started: ignored, the order stays confirmed, nothing is compensated', async () => {
  const order = input();
  const gate = new Gate();
  const handle = await start(order, { confirmOrder: [block(gate)] });
  await gate.entered;
  await waitForTxState(handle, (s) => s.steps.find((x) => x.name === 'confirm')?.state === 'running');

  await handle.cancel();
  gate.open();
  await expect(handle.result()).resolves.toMatchObject({ status: 'COMPLETED', orderId: order.orderId });
  expect(fakes.calls(handle.workflowId)).toEqual(FORWARD);
  expect(await txStatusOf(handle)).toBe('COMPLETED');
  expect((await handle.describe()).status.name).toBe('COMPLETED');
});

test('invalid input: FAILED at once, nothing called', async () => {
  const order = { ...input(), items: [] };
  const handle = await start(order);
  await expect(handle.result()).rejects.toThrow();
  expect(fakes.calls(handle.workflowId)).toEqual([]);
  expect(await txStatusOf(handle)).toBe('FAILED');
});

test('a worker killed mid-task while a cancel request comes in: the re-run undoes what the lost task applied', async () => {
  // The steps up to the payment run as local activities in one workflow task that is never completed: the re-run
  // sees the cancel request before its first step, yet must undo every step the lost task applied (Saga.plan).
  const order = input();
  const taskQueue = uniqueId('lost-task');
  const options = workflowStartOptions('saga', order, { taskQueue });
  const script = path.join(__dirname, 'support', 'lost-task-worker.ts');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', script, taskQueue, options.workflowId, 'chargePayment'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines: string[] = [];
  const waiters: (() => void)[] = [];
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    waiters.splice(0).forEach((wake) => wake());
  });
  const said = async (prefix: string): Promise<string> => {
    for (;;) {
      const line = lines.find((l) => l.startsWith(prefix));
      if (line !== undefined) return line.slice(prefix.length).trim();
      if (child.exitCode !== null) throw new Error(`the lost-task worker exited before "${prefix}"`);
      await Promise.race([new Promise<void>((wake) => waiters.push(wake)), exited]);
    }
  };
  const connection = await Connection.connect(temporalConnectionOptions(loadConfig()));
  const client = new Client({ connection, namespace: loadConfig().temporal.namespace });
  let survivor: TestTemporal | undefined;
  try {
    await said('READY');
    const handle = await client.workflow.start(WORKFLOW_TYPES.saga, options);
    const applied = JSON.parse(await said('BLOCKED')) as ActivityName[];
    expect(applied).toEqual(FORWARD.slice(0, 6)); // quote (2 calls), CreateOrder, Reserve, Redeem, the blocked Charge
    await handle.cancel();
    child.kill('SIGKILL');
    await exited;

    // another worker takes the task over once it times out
    survivor = await startTestWorker({ activities: fakes.activities, taskQueue });
    await expect(handle.result()).resolves.toEqual({
      status: 'COMPENSATED',
      orderId: order.orderId,
      reason: 'CANCELLED',
      failedStep: 'quote',
    });
    expect(fakes.calls(handle.workflowId)).toEqual([
      'refundPayment',
      'restoreCoupon',
      'releaseStock',
      'cancelOrder',
    ]);
    const state = await waitForTxState(handle, () => true);
    expect(state.steps.map((s) => [s.name, s.state])).toEqual([
      ['quote', 'skipped'],
      ['order', 'compensated'],
      ['inventory', 'compensated'],
      ['coupon', 'compensated'],
      ['payment', 'compensated'],
      ['confirm', 'skipped'],
    ]);
  } finally {
    child.kill('SIGKILL');
    await survivor?.close();
    await connection.close();
  }
});
