/**
 * Saga builder: run steps one by one, each with its compensation; when one fails for good (or the workflow is
 * cancelled before the pivot), undo the completed steps AND the step in flight, in reverse order (with local calls,
 * a cancellation undoes every planned step: see Saga.plan).
 */
import { CancellationScope, isCancellation } from '@temporalio/workflow';
import { ABORT_REASONS } from '../names';
import { SettleDeferred, TxAborted } from './failure';
import type { Transaction } from './transaction';
import type { SettlePlan } from './types';

export interface SagaStep<T> {
  name: string;
  action: () => Promise<T>;
  /**
   * Undoes the action, given the abort reason. Runs even when the action failed or timed out: a timed-out
   * call may have applied, and the barrier turns the compensation of a never-applied action into a no-op.
   */
  compensate?: (reason: string) => Promise<unknown>;
}

const planOf = (list: Compensation[]): SettlePlan =>
  list.map(({ name }) => [{ step: name, op: 'compensate' }]);

export type SagaOutcome<T> = { ok: true; value: T } | { ok: false; failedStep: string; reason: string };

type Compensation = { name: string; compensate: (reason: string) => Promise<unknown> };

export class Saga {
  private readonly compensations: Compensation[] = [];
  private planned: Compensation[] = [];
  private current = '';

  constructor(readonly tx: Transaction) {}

  /**
   * Every compensable step the saga may reach, in order. With local calls (TransactionSpec.localCalls) a cancelled
   * saga compensates all of them, reached or not: a lost workflow task may have applied steps that the re-run never
   * reaches, because it sees the cancel request earlier. A step never applied compensates as a no-op (EMPTY), and its
   * barrier row refuses a late action. Without local calls (or for a failure that is not a cancellation) only the
   * steps reached are compensated.
   */
  plan(steps: Compensation[]): void {
    this.planned = steps;
  }

  /** A forward step: bounded retries, a rejection stops at once. */
  async step<T>(step: SagaStep<T>): Promise<T> {
    this.enter(step.name);
    // Registered before the action starts, so the step in flight is compensated too.
    if (step.compensate) this.compensations.push({ name: step.name, compensate: step.compensate });
    return this.tx.run(step.name, 'action', step.action, this.tx.forwardPolicy);
  }

  /**
   * The pivot: after it nothing is undone. It runs non-cancellable and retries transient failures until it gets a
   * definitive answer (a timed-out pivot may have applied, so giving up on it would be wrong); a rejection aborts.
   */
  async pivot<T>(name: string, action: () => Promise<T>): Promise<T> {
    this.enter(name);
    const value = await CancellationScope.nonCancellable(() =>
      this.tx.run(name, 'action', action, this.tx.definitivePolicy),
    );
    this.tx.commit(); // decided: nothing after the pivot is undone
    return value;
  }

  /**
   * Runs every registered compensation, newest first, each until it succeeds. Throws SettleDeferred when the history
   * got large (Transaction.settle), with the compensations still to run.
   */
  async compensate(failure: TxAborted): Promise<void> {
    this.tx.beginUndo(failure);
    const reason = `${failure.failedStep}: ${failure.reason}`;
    const undo = this.undoList(failure);
    for (const [i, { name, compensate }] of undo.entries()) {
      try {
        await this.tx.settle(name, 'compensate', () => compensate(reason));
      } catch (err) {
        if (err instanceof SettleDeferred) throw new SettleDeferred(planOf(undo.slice(i)), failure);
        throw err;
      }
    }
  }

  /** The compensations `compensate` would run for this failure, as a settle plan (one call per group, in order). */
  undoPlan(failure: TxAborted): SettlePlan {
    return planOf(this.undoList(failure));
  }

  /** The compensations to run, newest first. */
  private undoList(failure: TxAborted): Compensation[] {
    const reached = new Set(this.compensations.map((c) => c.name));
    // unreached steps come after the reached ones in the plan: newest first means them first
    const unreached =
      this.tx.localCalls && failure.reason === ABORT_REASONS.cancelled
        ? this.planned.filter((c) => !reached.has(c.name))
        : [];
    return [...this.compensations, ...unreached].reverse();
  }

  /** Before starting a step: a cancel request that arrived between steps aborts here, before anything new starts. */
  private enter(name: string): void {
    this.current = name;
    if (CancellationScope.current().consideredCancelled) {
      throw new TxAborted(name, ABORT_REASONS.cancelled, 'cancel requested before the step started');
    }
  }

  /** The step running when a failure came from outside any step. */
  get currentStep(): string {
    return this.current;
  }
}

/**
 * Runs a saga body. Success → COMPLETED. A TxAborted (or a cancellation) → compensate → COMPENSATED.
 * Any other error (a bug) propagates, so Temporal retries the workflow task and the code can be fixed.
 */
export async function runSaga<T>(tx: Transaction, body: (saga: Saga) => Promise<T>): Promise<SagaOutcome<T>> {
  const saga = new Saga(tx);
  try {
    const value = await body(saga);
    tx.finish('COMPLETED');
    return { ok: true, value };
  } catch (err) {
    // a settle phase inside the body (TCC confirms / cancels) ran out of history: an undo continues with the saga's own
    if (err instanceof SettleDeferred) {
      throw err.failure ? err.followedBy(saga.undoPlan(err.failure)) : err;
    }
    let failure: TxAborted;
    if (err instanceof TxAborted) failure = err;
    else if (isCancellation(err))
      failure = new TxAborted(saga.currentStep, ABORT_REASONS.cancelled, 'cancel requested');
    else throw err;
    await saga.compensate(failure);
    tx.finish('COMPENSATED', failure);
    return { ok: false, failedStep: failure.failedStep, reason: failure.reason };
  }
}
