/**
 * FAKE order activities for workflow-logic tests: they record every call per workflow and follow a per-workflow
 * script (fail with a type, block until released). Prices: 1000 per unit; a coupon gives 500 off.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { OrderActivities, Outcome } from '../../../../activities';
import type { PlaceOrderInput } from '../../../../workflows/contract';
import { WORKFLOW_TYPES, type TxMode } from '../../../../workflows/names';
import { workflowStartOptions } from '../../../../workflows/start-options';
import { startTestWorker, type TestTemporal } from './temporal';

export type ActivityName = keyof OrderActivities;

export const UNIT_PRICE = 1000;
export const COUPON_DISCOUNT = 500;
/** A coupon whose discount covers the whole order (total 0). */
export const FULL_COVER_COUPON = 'FREE';

/** A gate a scripted call waits at until the test opens it. */
export class Gate {
  private openGate!: () => void;
  private markEntered!: () => void;
  readonly opened = new Promise<void>((resolve) => (this.openGate = resolve));
  /** Resolves once a call reached the gate. */
  readonly entered = new Promise<void>((resolve) => (this.markEntered = resolve));
  open(): void {
    this.openGate();
  }
  enter(): void {
    this.markEntered();
  }
}

/** What one call does: succeed, fail (retryable or not) with a type, or wait at a gate first. */
export type Behavior =
  | { kind: 'ok' }
  | { kind: 'fail'; type: string; retryable?: boolean }
  | { kind: 'block'; gate: Gate; then?: Behavior };

export const fail = (type: string, retryable = false): Behavior => ({ kind: 'fail', type, retryable });
export const block = (gate: Gate, then?: Behavior): Behavior => ({ kind: 'block', gate, then });

interface Scenario {
  /** Behaviors consumed in order per activity; when exhausted, calls succeed. */
  script: Partial<Record<ActivityName, Behavior[]>>;
  calls: ActivityName[];
  /** Calls that succeeded, in order. */
  applied: ActivityName[];
  /** Activities that fail (retryable, with this type) on every call until the fault is lifted. */
  faults: Map<ActivityName, string>;
  /**
   * What each call did, by run and activity id: a local activity re-run because its workflow task was lost or refused
   * (the same call of the same run) does the same again and is not counted twice — the barrier's DUPLICATE.
   */
  outcomes: Map<string, Behavior | undefined>;
}

export class FakeServices {
  private readonly scenarios = new Map<string, Scenario>();

  /** Sets the script of one workflow id (call before starting it). */
  script(workflowId: string, script: Partial<Record<ActivityName, Behavior[]>> = {}): void {
    // an outage set up before the start stays
    const faults = this.scenarios.get(workflowId)?.faults ?? new Map<ActivityName, string>();
    this.scenarios.set(workflowId, { script, calls: [], applied: [], faults, outcomes: new Map() });
  }

  /** Every call of `names` by that workflow fails (retryable, `type`) until the returned function lifts it. */
  outage(workflowId: string, names: ActivityName[], type: string): () => void {
    const scenario = this.scenario(workflowId);
    for (const name of names) scenario.faults.set(name, type);
    return () => names.forEach((name) => scenario.faults.delete(name));
  }

  /** The calls of that workflow that succeeded, in order. */
  applied(workflowId: string): ActivityName[] {
    return [...(this.scenarios.get(workflowId)?.applied ?? [])];
  }

  private scenario(workflowId: string): Scenario {
    let scenario = this.scenarios.get(workflowId);
    if (!scenario) {
      scenario = { script: {}, calls: [], applied: [], faults: new Map(), outcomes: new Map() };
      this.scenarios.set(workflowId, scenario);
    }
    return scenario;
  }

  /** The activities called by that workflow, in call order. */
  calls(workflowId: string): ActivityName[] {
    return [...(this.scenarios.get(workflowId)?.calls ?? [])];
  }

  private async perform(name: ActivityName): Promise<void> {
    const context = Context.current();
    const workflowId = context.info.workflowExecution?.workflowId ?? '';
    const scenario = this.scenario(workflowId);
    const callKey = `${context.info.workflowExecution?.runId ?? ''}/${context.info.activityId}`;
    if (scenario.outcomes.has(callKey)) {
      this.finish(name, scenario.outcomes.get(callKey), undefined);
      return;
    }
    scenario.calls.push(name);
    const fault = scenario.faults.get(name);
    if (fault) throw ApplicationFailure.retryable(`fake ${name} failed: ${fault}`, fault);
    let behavior: Behavior | undefined = scenario.script[name]?.shift();
    while (behavior?.kind === 'block') {
      behavior.gate.enter();
      let released = false;
      void behavior.gate.opened.then(() => (released = true));
      while (!released) {
        if (!context.info.isLocal) context.heartbeat(); // a local activity cannot heartbeat
        await context.sleep(50); // rejects when the activity is cancelled
      }
      behavior = behavior.then;
    }
    scenario.outcomes.set(callKey, behavior);
    this.finish(name, behavior, scenario);
  }

  /** Fails as the behavior says, or records the success (once: `scenario` is absent for a re-run). */
  private finish(name: ActivityName, behavior: Behavior | undefined, scenario: Scenario | undefined): void {
    if (behavior?.kind === 'fail') {
      const message = `fake ${name} failed: ${behavior.type}`;
      throw behavior.retryable
        ? ApplicationFailure.retryable(message, behavior.type)
        : ApplicationFailure.nonRetryable(message, behavior.type);
    }
    scenario?.applied.push(name);
  }

  /** The fake implementation of every order activity. */
  readonly activities: OrderActivities = (() => {
    const outcome = async (name: ActivityName): Promise<{ outcome: Outcome }> => {
      await this.perform(name);
      return { outcome: 'APPLIED' };
    };
    const order = async (name: ActivityName, total: number) => {
      await this.perform(name);
      return { outcome: 'APPLIED' as const, status: name === 'cancelOrder' ? 'CANCELLED' : 'PENDING', total };
    };
    return {
      quoteItems: async ({ items }) => {
        await this.perform('quoteItems');
        const lines = items.map((i) => ({
          sku: i.sku,
          name: `product ${i.sku}`,
          quantity: i.quantity,
          unitPrice: UNIT_PRICE,
          lineTotal: UNIT_PRICE * i.quantity,
        }));
        return { lines, subtotal: lines.reduce((sum, l) => sum + l.lineTotal, 0) };
      },
      quoteCoupon: async ({ code, orderAmount }) => {
        await this.perform('quoteCoupon');
        return { discount: code === FULL_COVER_COUPON ? orderAmount : COUPON_DISCOUNT };
      },
      createOrder: async ({ lines, discount }) =>
        order('createOrder', lines.reduce((sum, l) => sum + l.lineTotal, 0) - discount),
      confirmOrder: async () => order('confirmOrder', 0),
      cancelOrder: async () => order('cancelOrder', 0),
      reserveStock: () => outcome('reserveStock'),
      releaseStock: () => outcome('releaseStock'),
      tryReserveStock: () => outcome('tryReserveStock'),
      confirmStock: () => outcome('confirmStock'),
      cancelStock: () => outcome('cancelStock'),
      redeemCoupon: async () => ({ ...(await outcome('redeemCoupon')), discount: COUPON_DISCOUNT }),
      restoreCoupon: () => outcome('restoreCoupon'),
      tryLockCoupon: async () => ({ ...(await outcome('tryLockCoupon')), discount: COUPON_DISCOUNT }),
      confirmCoupon: () => outcome('confirmCoupon'),
      cancelCoupon: () => outcome('cancelCoupon'),
      chargePayment: () => outcome('chargePayment'),
      refundPayment: () => outcome('refundPayment'),
      authorizePayment: () => outcome('authorizePayment'),
      cancelAuthorization: () => outcome('cancelAuthorization'),
      tryFreezePayment: () => outcome('tryFreezePayment'),
      confirmPayment: () => outcome('confirmPayment'),
      cancelPayment: () => outcome('cancelPayment'),
    };
  })();
}

/** Short backoffs and 3 forward attempts keep the fake-activity tests fast. */
export const FAST_RETRY = { initialIntervalMs: 20, maximumIntervalMs: 100, forwardMaximumAttempts: 3 };

/**
 * A test file's fake-activity setup: one worker with the fakes on a unique task queue for the whole file
 * (registered with beforeAll/afterAll), and `start`, which scripts the fakes for a workflow and starts it.
 */
export function fakeOrderHarness(mode: TxMode) {
  const fakes = new FakeServices();
  let temporal: TestTemporal | undefined;
  beforeAll(async () => {
    temporal = await startTestWorker({ activities: fakes.activities });
  });
  afterAll(async () => {
    await temporal?.close();
  });
  async function start(order: PlaceOrderInput, script: Partial<Record<ActivityName, Behavior[]>> = {}) {
    if (!temporal) throw new Error('the fake worker is not started (call start inside a test)');
    const options = workflowStartOptions(mode, order, { taskQueue: temporal.taskQueue });
    fakes.script(options.workflowId, script);
    return temporal.client.workflow.start(WORKFLOW_TYPES[mode], options);
  }
  return { fakes, start };
}
