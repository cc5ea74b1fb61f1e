/**
 * One gRPC call from inside an activity: per-call deadline, tx id metadata, heartbeats while waiting (so a
 * cancel reaches the activity and a dead worker is noticed), and the error mapping of docs/design.md.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { CallOptions } from '../services/rpc/clients';
import { describeGrpcError } from '../services/rpc/errors';
import { BARRIER_OUTCOMES } from '../workflows/names';
import { CircuitOpenError, serviceOf, type ServiceBreakers } from './breakers';
import type { Outcome } from './types';

/** ApplicationFailure type of a call an open breaker refused (retryable: the workflow retries it later). */
export const CIRCUIT_OPEN = 'CIRCUIT_OPEN';

/** What stands between an activity and the network: the service's breaker, and the hedge. */
export interface CallGuard {
  breakers?: ServiceBreakers;
  /** Send one identical second call when the first has not answered after this long (0 = never). */
  hedgeAfterMs: number;
  /** Caps the hedges at a share of the calls (absent: every slow call is hedged). */
  hedgeBudget?: HedgeBudget;
}

const NO_GUARD: CallGuard = { hedgeAfterMs: 0 };

const HEARTBEAT_EVERY_MS = 1_000;

/** The workflow id of the calling workflow: the barrier's tx_id. */
export function currentTxId(): string {
  const execution = Context.current().info.workflowExecution;
  if (!execution)
    throw ApplicationFailure.nonRetryable(
      'order activities run only for a workflow (tx_id = workflow id)',
      'NoWorkflow',
    );
  return execution.workflowId;
}

/** Per-call options: the deadline, the tx id for the services' logs, and the activity's cancellation. */
export function callOptions(deadlineMs: number): CallOptions {
  return { deadlineMs, txId: currentTxId(), signal: Context.current().cancellationSignal };
}

/**
 * Runs a call; resolves with its response or rejects with an ApplicationFailure:
 * transient codes → retryable (type = code name); INVALID_ARGUMENT → non-retryable `InvalidArgument`;
 * NOT_FOUND → non-retryable `NotFound`; FAILED_PRECONDITION → non-retryable, type = the business reason;
 * anything else → non-retryable, type = the code name.
 */
export async function grpcCall<T>(
  describe: string,
  run: () => Promise<T>,
  guard: CallGuard = NO_GUARD,
): Promise<T> {
  const context = Context.current();
  // Only a remote activity heartbeats (a local one cannot: its workflow task carries it), and only once the call has
  // run for a second: a heartbeat is a server round trip, worth paying only when a cancel or a dead worker may need it.
  const beat = context.info.isLocal ? undefined : setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
  try {
    // A cancelled activity stops waiting (and aborts the call); if the call still lands, the barrier makes it harmless.
    const breakers = guard.breakers;
    const attempt = breakers ? () => breakers.execute(serviceOf(describe), describe, run) : run;
    return await Promise.race([hedged(attempt, guard.hedgeAfterMs, guard.hedgeBudget), context.cancelled]);
  } catch (err) {
    if (err instanceof ApplicationFailure || context.cancellationSignal.aborted) throw err;
    if (err instanceof CircuitOpenError)
      throw ApplicationFailure.retryable(err.message, CIRCUIT_OPEN, { service: err.service });
    const failure = describeGrpcError(err);
    const details = {
      code: failure.codeName,
      reason: failure.reason,
      field: failure.field,
      resource: failure.resource,
      resourceId: failure.resourceId,
    };
    const message = `${describe}: ${failure.message}`;
    // CANCELLED that we did not ask for: the server or channel dropped the call (e.g. a graceful restart) — retry.
    if (failure.transient || failure.codeName === 'CANCELLED')
      throw ApplicationFailure.retryable(message, failure.type, details);
    throw ApplicationFailure.nonRetryable(message, failure.type, details);
  } finally {
    if (beat) clearInterval(beat);
  }
}

/** Whether a failure is one a retry may cure (a transient gRPC code, or a breaker that refused the call). */
function transient(err: unknown): boolean {
  return err instanceof CircuitOpenError || describeGrpcError(err).transient;
}

/**
 * Caps hedges at a share of the calls: one hedge per `callsPerHedge` calls, with at most `burst` hedges saved up. On a
 * saturated machine every call is slow; a fixed hedge delay would then double every call exactly when the system can
 * least afford it. With the budget the odd slow call is still hedged, and a slow system gets at most 1/`callsPerHedge`
 * more calls. Counted in calls: integers, no rounding drift.
 */
export class HedgeBudget {
  private credit: number;

  constructor(
    private readonly callsPerHedge = 10,
    private readonly burst = 10,
  ) {
    this.credit = burst * callsPerHedge;
  }

  /** A call went out: it earns its share of a hedge. */
  earn(): void {
    this.credit = Math.min(this.burst * this.callsPerHedge, this.credit + 1);
  }

  /** Whether a hedge may go out now; spends its share when it may. */
  spend(): boolean {
    if (this.credit < this.callsPerHedge) return false;
    this.credit -= this.callsPerHedge;
    return true;
  }
}

/**
 * A hedged call: when the first call has not answered after `afterMs`, an identical second one goes out and the first
 * success wins. Every call of an activity is idempotent (the barrier: a repeat is a DUPLICATE with the same effect,
 * and a repeat racing the first waits on its barrier row), so the duplicate is harmless; it costs one more call only
 * for the slow tail (a lost answer no longer costs the whole deadline), and `budget` bounds how many. A failure before
 * the hedge is sent ends the call at once (the workflow retries with backoff); after it, the call fails once both
 * have, with a definitive answer (e.g. a business rejection) preferred over a transient one.
 */
export function hedged<T>(attempt: () => Promise<T>, afterMs: number, budget?: HedgeBudget): Promise<T> {
  if (afterMs <= 0) return attempt();
  budget?.earn();
  return new Promise<T>((resolve, reject) => {
    let sent = 0;
    let failed = 0;
    let done = false;
    let failure: unknown;
    const send = (): void => {
      sent++;
      attempt().then(
        (value) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          resolve(value);
        },
        (err: unknown) => {
          if (done) return;
          failed++;
          if (failed === 1 || (transient(failure) && !transient(err))) failure = err;
          if (failed < sent) return;
          done = true;
          clearTimeout(timer);
          reject(failure instanceof Error ? failure : new Error(String(failure)));
        },
      );
    };
    send();
    // the callbacks above run asynchronously, after this line
    const timer = setTimeout(() => {
      if (!done && (budget?.spend() ?? true)) send();
    }, afterMs);
  });
}

/** The barrier outcome of a response (UNSPECIFIED would be a service bug: reported as APPLIED is wrong, so fail). */
export function outcomeOf(outcome: string): Outcome {
  const known = BARRIER_OUTCOMES.find((o) => o === outcome);
  if (known) return known;
  throw ApplicationFailure.nonRetryable(`unexpected outcome "${outcome}"`, 'BadOutcome');
}
