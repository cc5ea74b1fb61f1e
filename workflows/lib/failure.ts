/** How the library reads a failed call, and the error that ends a transaction's forward phase. */
import {
  ActivityFailure,
  ApplicationFailure,
  TimeoutFailure,
  TemporalFailure,
  isCancellation,
} from '@temporalio/workflow';
import { ABORT_REASONS } from '../names';
import type { SettlePlan } from './types';

/** A failed attempt as the library records it. */
export interface FailureInfo {
  type: string;
  message: string;
  nonRetryable: boolean;
}

/** The type, message and retryability of an error thrown by an activity call (or by the workflow's own code). */
export function describeFailure(err: unknown, nonRetryableTypes: readonly string[]): FailureInfo {
  if (isCancellation(err)) return { type: ABORT_REASONS.cancelled, message: 'cancelled', nonRetryable: true };
  const cause = err instanceof ActivityFailure && err.cause ? err.cause : err;
  if (cause instanceof ApplicationFailure) {
    const type = cause.type ?? 'Error';
    return {
      type,
      message: cause.message,
      nonRetryable: cause.nonRetryable || nonRetryableTypes.includes(type),
    };
  }
  if (cause instanceof TimeoutFailure) {
    return { type: 'Timeout', message: `${cause.timeoutType} timeout`, nonRetryable: false };
  }
  if (cause instanceof TemporalFailure || cause instanceof Error) {
    return { type: cause.name, message: cause.message, nonRetryable: false };
  }
  return { type: 'Error', message: String(cause), nonRetryable: false };
}

/**
 * Thrown when a forward step failed for good (rejection, exhausted retries, try deadline, cancellation):
 * the transaction stops going forward and undoes what it did.
 */
export class TxAborted extends Error {
  constructor(
    readonly failedStep: string,
    readonly reason: string,
    message?: string,
  ) {
    super(message ?? `${failedStep}: ${reason}`);
    this.name = 'TxAborted';
  }
}

/**
 * Thrown by the settle loops when the run's history is large (Transaction.settle): the calls in `plan` are still to
 * run, in a new run (continue-as-new). `failure` is the abort being undone (absent while confirming).
 */
export class SettleDeferred extends Error {
  constructor(
    readonly plan: SettlePlan,
    readonly failure?: TxAborted,
  ) {
    super(
      `settle deferred to a new run: ${plan.map((g) => g.map((c) => `${c.step}/${c.op}`).join('+')).join(', ')}`,
    );
    this.name = 'SettleDeferred';
  }

  /** The same deferral with more calls to run after it (the rest of the phase, the saga's own undo). */
  followedBy(more: SettlePlan, failure = this.failure): SettleDeferred {
    return new SettleDeferred([...this.plan, ...more], failure);
  }
}
