/**
 * One gRPC call from inside an activity: per-call deadline, tx id metadata, heartbeats while waiting (so a
 * cancel reaches the activity and a dead worker is noticed), and the error mapping of docs/design.md.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { CallOptions } from '../services/rpc/clients';
import { describeGrpcError } from '../services/rpc/errors';
import { BARRIER_OUTCOMES } from '../workflows/names';
import type { Outcome } from './types';

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
export async function grpcCall<T>(describe: string, run: () => Promise<T>): Promise<T> {
  const context = Context.current();
  // Only a remote activity heartbeats (a local one cannot: its workflow task carries it), and only once the call has
  // run for a second: a heartbeat is a server round trip, worth paying only when a cancel or a dead worker may need it.
  const beat = context.info.isLocal ? undefined : setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
  try {
    // A cancelled activity stops waiting (and aborts the call); if the call still lands, the barrier makes it harmless.
    return await Promise.race([run(), context.cancelled]);
  } catch (err) {
    if (err instanceof ApplicationFailure || context.cancellationSignal.aborted) throw err;
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

/** The barrier outcome of a response (UNSPECIFIED would be a service bug: reported as APPLIED is wrong, so fail). */
export function outcomeOf(outcome: string): Outcome {
  const known = BARRIER_OUTCOMES.find((o) => o === outcome);
  if (known) return known;
  throw ApplicationFailure.nonRetryable(`unexpected outcome "${outcome}"`, 'BadOutcome');
}
