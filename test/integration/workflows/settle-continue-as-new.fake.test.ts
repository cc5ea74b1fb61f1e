/**
 * A settle phase that cannot finish for a long time (issue 11 §4) with FAKE activities on the real Temporal dev server:
 * every failed attempt costs history events, so the settle loops stop once the run's history reaches the threshold
 * (lowered here to 300 events) and the workflow continues-as-new with what is left. The transaction stays RUNNING
 * across runs, each run's history stays bounded, txState keeps counting, and once the fault is lifted the last run
 * ends COMPENSATED with every branch undone exactly once.
 */
import type { WorkflowHandleWithFirstExecutionRunId as WorkflowHandle } from '@temporalio/client';
import type { PlaceOrderInput, PlaceOrderResult } from '../../../workflows/contract';
import { workflowIdFor, type TxMode } from '../../../workflows/names';
import { fail, fakeOrderHarness, FAST_RETRY, type ActivityName } from './support/fake-activities';
import { txStatusOf, uniqueId, waitForTxState } from './support/temporal';

jest.setTimeout(180_000);

const THRESHOLD = 300;
/** The saga settles one call at a time, which fills a history more slowly: a lower threshold keeps the test short. */
const SAGA_THRESHOLD = 200;
/** A run stops at the next backoff point of each loop once the threshold is reached: a few attempts' worth above it. */
const RUN_BOUND = THRESHOLD + 100;
const SAGA_RUN_BOUND = SAGA_THRESHOLD + 50;

const saga = fakeOrderHarness('saga');
const tcc = fakeOrderHarness('tcc');

function input(mode: TxMode, threshold: number): PlaceOrderInput {
  return {
    orderId: uniqueId(`can-${mode}`),
    customerId: uniqueId('cust'),
    items: [{ sku: 'sku-a', quantity: 2 }],
    couponCode: 'SAVE5',
    tryTimeoutMs: 10_000,
    retry: {
      ...FAST_RETRY,
      initialIntervalMs: 10,
      maximumIntervalMs: 20,
      continueAsNewAfterEvents: threshold,
    },
  };
}

type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;

interface Run {
  runId: string;
  events: number;
  /** The run that continued this one, if it did. */
  next?: string;
  resumeRuns?: number;
}

/** Every run of the workflow so far, first to current, following continue-as-new through each run's history. */
async function runsOf(handle: WorkflowHandle): Promise<Run[]> {
  const runs: Run[] = [];
  let runId: string | undefined = handle.firstExecutionRunId;
  while (runId) {
    const history: History = await handle.client.getHandle(handle.workflowId, runId).fetchHistory();
    const events = history.events ?? [];
    const last = events[events.length - 1];
    const next: string | undefined =
      last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
    const started = events[0]?.workflowExecutionStartedEventAttributes;
    const payload = started?.input?.payloads?.[0]?.data;
    const firstArg = payload
      ? (JSON.parse(Buffer.from(payload).toString('utf8')) as PlaceOrderInput)
      : undefined;
    runs.push({ runId, events: events.length, next, resumeRuns: firstArg?.resume?.continuedRuns });
    runId = next;
  }
  return runs;
}

/** Waits until the workflow has continued-as-new at least `count` times. */
async function continuedTimes(handle: WorkflowHandle, count: number, timeoutMs = 120_000): Promise<Run[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const runs = await runsOf(handle);
    if (runs.length > count) return runs;
    if (Date.now() > until) throw new Error(`only ${runs.length - 1} continue-as-new so far`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const count = (calls: ActivityName[], name: ActivityName) => calls.filter((c) => c === name).length;

test('TCC: every cancel UNAVAILABLE for a long time → continue-as-new, still running; lifted → COMPENSATED, each cancelled once', async () => {
  const order = input('tcc', THRESHOLD);
  const workflowId = workflowIdFor(order.orderId);
  const cancels: ActivityName[] = ['cancelStock', 'cancelCoupon', 'cancelPayment'];
  const lift = tcc.fakes.outage(workflowId, cancels, 'UNAVAILABLE');
  const handle = await tcc.start(order, { tryReserveStock: [fail('INSUFFICIENT_STOCK')] });

  const runs = await continuedTimes(handle, 2);
  // still running, and every run that continued stayed below the bound
  const description = await handle.describe();
  expect(description.status.name).toBe('RUNNING');
  expect(description.runId).not.toBe(handle.firstExecutionRunId);
  for (const run of runs.filter((r) => r.next)) expect(run.events).toBeLessThanOrEqual(RUN_BOUND);
  expect(runs.slice(1).map((r) => r.resumeRuns)).toEqual(runs.slice(1).map((_, i) => i + 1));
  // the identity, the status and the memo went along
  expect(await txStatusOf(handle)).toBe('COMPENSATING');
  expect(description.memo).toMatchObject({ customerId: order.customerId });

  // txState counts the attempts of every run
  const before = tcc.fakes.calls(workflowId);
  const state = await waitForTxState(handle, (s) => s.status === 'COMPENSATING');
  expect(state).toMatchObject({ failedStep: 'inventory', reason: 'INSUFFICIENT_STOCK' });
  for (const [step, name] of [
    ['inventory', 'cancelStock'],
    ['coupon', 'cancelCoupon'],
    ['payment', 'cancelPayment'],
  ] as const) {
    const view = state.steps.find((s) => s.name === step);
    expect(view?.state).toBe('compensating');
    expect(view?.attempts.cancel ?? 0).toBeGreaterThanOrEqual(count(before, name) - 1);
    expect(view?.lastError).toMatchObject({ op: 'cancel', type: 'UNAVAILABLE' });
  }
  expect(state.steps.find((s) => s.name === 'order')?.state).toBe('done');
  expect(tcc.fakes.applied(workflowId).some((c) => cancels.includes(c) || c === 'cancelOrder')).toBe(false);

  lift();
  await expect(handle.result()).resolves.toEqual<PlaceOrderResult>({
    status: 'COMPENSATED',
    orderId: order.orderId,
    reason: 'INSUFFICIENT_STOCK',
    failedStep: 'inventory',
  });
  const applied = tcc.fakes.applied(workflowId);
  for (const name of [...cancels, 'cancelOrder'] as const) expect(count(applied, name)).toBe(1);
  expect(applied[applied.length - 1]).toBe('cancelOrder');
  expect(applied.some((c) => c.startsWith('confirm'))).toBe(false);

  const final = await waitForTxState(handle, () => true);
  const calls = tcc.fakes.calls(workflowId);
  expect(final).toMatchObject({
    status: 'COMPENSATED',
    failedStep: 'inventory',
    reason: 'INSUFFICIENT_STOCK',
  });
  for (const [step, name] of [
    ['inventory', 'cancelStock'],
    ['coupon', 'cancelCoupon'],
    ['payment', 'cancelPayment'],
  ] as const) {
    const view = final.steps.find((s) => s.name === step);
    expect(view?.state).toBe('compensated');
    expect(view?.attempts.cancel).toBe(count(calls, name)); // every attempt of every run, none lost
  }
  expect(final.steps.find((s) => s.name === 'order')).toMatchObject({
    state: 'compensated',
    attempts: { action: 1, compensate: 1 },
  });
  expect(await txStatusOf(handle)).toBe('COMPENSATED');
  for (const run of await runsOf(handle)) expect(run.events).toBeLessThanOrEqual(RUN_BOUND);
});

test('saga: a compensation UNAVAILABLE for a long time → continue-as-new; lifted → COMPENSATED, each step undone once, in order', async () => {
  const order = input('saga', SAGA_THRESHOLD);
  const workflowId = workflowIdFor(order.orderId);
  const lift = saga.fakes.outage(workflowId, ['releaseStock'], 'UNAVAILABLE');
  const handle = await saga.start(order, { chargePayment: [fail('INSUFFICIENT_FUNDS')] });

  const runs = await continuedTimes(handle, 2);
  expect((await handle.describe()).status.name).toBe('RUNNING');
  for (const run of runs.filter((r) => r.next)) expect(run.events).toBeLessThanOrEqual(SAGA_RUN_BOUND);
  expect(await txStatusOf(handle)).toBe('COMPENSATING');
  const state = await waitForTxState(handle, (s) => s.status === 'COMPENSATING');
  expect(state.steps.find((s) => s.name === 'inventory')).toMatchObject({
    state: 'compensating',
    lastError: { op: 'compensate', type: 'UNAVAILABLE' },
  });
  // refund and restore ran in the first run; the order waits for the release
  expect(saga.fakes.applied(workflowId).slice(-2)).toEqual(['refundPayment', 'restoreCoupon']);

  lift();
  await expect(handle.result()).resolves.toEqual<PlaceOrderResult>({
    status: 'COMPENSATED',
    orderId: order.orderId,
    reason: 'INSUFFICIENT_FUNDS',
    failedStep: 'payment',
  });
  const applied = saga.fakes.applied(workflowId);
  expect(applied.slice(-4)).toEqual(['refundPayment', 'restoreCoupon', 'releaseStock', 'cancelOrder']);
  for (const name of ['refundPayment', 'restoreCoupon', 'releaseStock', 'cancelOrder'] as const) {
    expect(count(applied, name)).toBe(1);
  }
  const final = await waitForTxState(handle, () => true);
  expect(final.status).toBe('COMPENSATED');
  expect(final.steps.find((s) => s.name === 'inventory')).toMatchObject({
    state: 'compensated',
    attempts: { action: 1, compensate: count(saga.fakes.calls(workflowId), 'releaseStock') },
  });
  for (const step of ['order', 'coupon', 'payment']) {
    expect(final.steps.find((s) => s.name === step)?.state).toBe('compensated');
  }
  expect(await txStatusOf(handle)).toBe('COMPENSATED');
});
