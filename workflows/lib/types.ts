/** State types of the transaction library: what a `txState`-style query reports about any flow built with it. */
import type { BarrierOp, StepState, TxStatus } from '../names';

/** The last failed attempt of a step. */
export interface StepError {
  op: BarrierOp;
  /** Which attempt of that op failed (1-based). */
  attempt: number;
  /** ApplicationFailure type (business reason, InvalidArgument, a gRPC code name), 'Timeout' or 'CANCELLED'. */
  type: string;
  message: string;
  nonRetryable: boolean;
  /** Workflow time of the failure, ISO 8601. */
  at: string;
}

export interface StepView {
  name: string;
  /** What the step does, one line. */
  summary: string;
  state: StepState;
  /** The barrier op the step is running or ran last. */
  op?: BarrierOp;
  /** Attempts per op so far, e.g. { action: 1, compensate: 4 }. */
  attempts: Partial<Record<BarrierOp, number>>;
  lastError?: StepError;
}

/** The part of a transaction's state the library maintains. */
export interface TxCoreState {
  mode: string;
  status: TxStatus;
  steps: StepView[];
  failedStep?: string;
  reason?: string;
}

/** Retry tuning of a transaction's calls. */
export interface RetryTuning {
  /** First backoff between two attempts of the same call. */
  initialIntervalMs: number;
  backoffCoefficient: number;
  /** Cap of the backoff; compensations, confirms and cancels retry forever at most this far apart. */
  maximumIntervalMs: number;
  /** A forward step (action, try, read) gives up after this many attempts ... */
  forwardMaximumAttempts: number;
  /** ... or once this much time has passed since its first attempt, whichever comes first. */
  forwardMaximumElapsedMs: number;
  /**
   * A settle loop (compensation, confirm, cancel) that failed stops retrying at its next backoff once the run's history
   * holds this many events (or the server suggests it), and the workflow continues-as-new with what is left.
   */
  continueAsNewAfterEvents: number;
}

/** One settle call of a step (a compensation, confirm or cancel), as the continued run rebuilds it. */
export interface SettleCallRef {
  step: string;
  op: BarrierOp;
}

/** Settle calls still to run: groups in order, the calls of one group in parallel (TCC confirms / cancels). */
export type SettlePlan = SettleCallRef[][];

/**
 * What a run that stopped settling to continue-as-new hands to the next run: the phase and what is left of it, the
 * abort (absent when confirming), and the state snapshot, so `txState` stays truthful across runs.
 */
export interface SettleResume<State extends TxCoreState = TxCoreState> {
  /** saga compensation, TCC confirm, or TCC cancel (followed by the saga's own undo). */
  phase: 'compensate' | 'confirm' | 'cancel';
  plan: SettlePlan;
  failedStep?: string;
  reason?: string;
  state: State;
  /** Runs of this workflow id so far that ended in continue-as-new. */
  continuedRuns: number;
}
