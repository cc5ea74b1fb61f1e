/**
 * Every workflow scenario whose history is recorded under test/histories (scripts/histories-record.ts) and replayed
 * by test/unit/replay.test.ts. FAKE activities: the histories exercise every branch of the workflow code.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { PlaceOrderInput } from '../../../../workflows/contract';
import type { TxMode } from '../../../../workflows/names';
import { block, fail, Gate, type ActivityName, type Behavior } from './fake-activities';

export interface Scenario {
  /** File name: `<mode>-<name>.json` */
  name: string;
  mode: TxMode;
  input?: Partial<PlaceOrderInput>;
  /** The fakes' script; built per run (gates are one-shot). */
  script?: (gate: Gate) => Partial<Record<ActivityName, Behavior[]>>;
  /** Runs while the workflow runs (e.g. cancel once the gate is reached). */
  drive?: (handle: WorkflowHandle, gate: Gate) => Promise<void>;
}

const down = (): Behavior => fail('UNAVAILABLE', true);
/**
 * Cancels while the gated call waits, and releases it only once the workflow has processed the cancel request (a
 * workflow task completed after it). With a local activity that matters: it holds its workflow task open, so the
 * request is seen only in the next task (after the task's heartbeat), while the call still waits at the gate.
 */
const cancelAtGate = async (handle: WorkflowHandle, gate: Gate) => {
  await gate.entered;
  await handle.cancel();
  for (;;) {
    const events = (await handle.fetchHistory()).events ?? [];
    const at = events.findIndex((e) => e.workflowExecutionCancelRequestedEventAttributes);
    if (at >= 0 && events.slice(at).some((e) => e.workflowTaskCompletedEventAttributes)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  gate.open();
};

export const SCENARIOS: Scenario[] = [
  { name: 'completed', mode: 'saga' },
  { name: 'completed-no-coupon', mode: 'saga', input: { couponCode: undefined } },
  { name: 'rejected-quote', mode: 'saga', script: () => ({ quoteCoupon: [fail('COUPON_UNAVAILABLE')] }) },
  { name: 'rejected-order', mode: 'saga', script: () => ({ createOrder: [fail('InvalidArgument')] }) },
  {
    name: 'rejected-inventory',
    mode: 'saga',
    script: () => ({ reserveStock: [fail('INSUFFICIENT_STOCK')] }),
  },
  { name: 'rejected-coupon', mode: 'saga', script: () => ({ redeemCoupon: [fail('COUPON_UNAVAILABLE')] }) },
  { name: 'rejected-payment', mode: 'saga', script: () => ({ chargePayment: [fail('INSUFFICIENT_FUNDS')] }) },
  { name: 'rejected-pivot', mode: 'saga', script: () => ({ confirmOrder: [fail('ORDER_NOT_PENDING')] }) },
  { name: 'transient-cleared', mode: 'saga', script: () => ({ reserveStock: [down()] }) },
  { name: 'transient-exhausted', mode: 'saga', script: () => ({ chargePayment: [down(), down(), down()] }) },
  {
    name: 'compensation-retried',
    mode: 'saga',
    script: () => ({ chargePayment: [fail('INSUFFICIENT_FUNDS')], releaseStock: [down(), down(), down()] }),
  },
  {
    name: 'cancelled-forward',
    mode: 'saga',
    script: (gate) => ({ chargePayment: [block(gate)] }),
    drive: cancelAtGate,
  },
  {
    name: 'cancelled-after-pivot',
    mode: 'saga',
    script: (gate) => ({ confirmOrder: [block(gate)] }),
    drive: cancelAtGate,
  },
  { name: 'invalid-input', mode: 'saga', input: { items: [] } },

  { name: 'completed', mode: 'tcc' },
  { name: 'completed-no-coupon', mode: 'tcc', input: { couponCode: undefined } },
  {
    name: 'rejected-inventory',
    mode: 'tcc',
    script: () => ({ tryReserveStock: [fail('INSUFFICIENT_STOCK')] }),
  },
  { name: 'rejected-coupon', mode: 'tcc', script: () => ({ tryLockCoupon: [fail('COUPON_UNAVAILABLE')] }) },
  {
    name: 'rejected-payment',
    mode: 'tcc',
    script: () => ({ tryFreezePayment: [fail('INSUFFICIENT_FUNDS')] }),
  },
  {
    name: 'try-timeout',
    mode: 'tcc',
    input: { tryTimeoutMs: 1_000 },
    script: (gate) => ({ tryFreezePayment: [block(gate)] }),
  },
  {
    name: 'cancel-retried',
    mode: 'tcc',
    script: () => ({ tryLockCoupon: [fail('COUPON_UNAVAILABLE')], cancelPayment: [down(), down(), down()] }),
  },
  {
    name: 'cancelled-during-tries',
    mode: 'tcc',
    script: (gate) => ({ tryLockCoupon: [block(gate)] }),
    drive: cancelAtGate,
  },
  {
    name: 'cancelled-after-confirm',
    mode: 'tcc',
    script: (gate) => ({ confirmPayment: [block(gate)] }),
    drive: cancelAtGate,
  },
];
