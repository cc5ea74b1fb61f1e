/** The activity proxies of the order flows: local activities for new workflows, remote ones for older histories. */
import {
  ActivityCancellationType,
  type ActivityOptions,
  patched,
  proxyActivities,
  proxyLocalActivities,
} from '@temporalio/workflow';
import type { OrderActivities } from '../../activities';
import { NON_RETRYABLE_ERROR_TYPES } from '../names';

/**
 * Workflow patch of the switch to local activities: a workflow that recorded it runs its short gRPC calls as local
 * activities; a history from before (no marker) replays on the remote-activity path it was recorded with.
 */
export const LOCAL_ACTIVITIES_PATCH = 'dtx-local-activities';

/** One call as the flows use it: the proxy function with its per-call summary (the UI shows it). */
type Call<F extends OrderActivities[keyof OrderActivities]> = {
  executeWithOptions(options: { summary: string }, args: Parameters<F>): Promise<Awaited<ReturnType<F>>>;
};
export type OrderCalls = { [K in keyof OrderActivities]: Call<OrderActivities[K]> };

export interface OrderProxies {
  /** Every call except the TCC tries. */
  calls: OrderCalls;
  /** The TCC tries: they race the try deadline, which must be able to interrupt them. */
  tries: OrderCalls;
  /**
   * The calls that follow an irreversible decision (the saga pivot, the TCC confirms): remote, so that the decision is
   * recorded (the activity is scheduled) before the call runs — see `local` below for why that matters.
   */
  decided: OrderCalls;
  /** `calls` are local activities (TransactionSpec.localCalls). */
  local: boolean;
}

/**
 * One attempt per activity execution (maximumAttempts 1): the transaction library retries in the workflow
 * (lib/transaction.ts), so txState sees every attempt. startToClose stays above the activities' gRPC deadline (5 s) so a
 * slow call fails as DEADLINE_EXCEEDED first. TRY_CANCEL: a cancelled forward call is abandoned at once (its
 * compensation runs anyway and the barrier orders the two).
 */
const ONE_ATTEMPT: Pick<ActivityOptions, 'startToCloseTimeout' | 'retry' | 'cancellationType'> = {
  startToCloseTimeout: '15 seconds',
  retry: { maximumAttempts: 1, nonRetryableErrorTypes: [...NON_RETRYABLE_ERROR_TYPES] },
  cancellationType: ActivityCancellationType.TRY_CANCEL,
};

/** Remote: heartbeats (sent only by a call still running after 1 s) let a cancel reach a running call. */
const remote: OrderCalls = proxyActivities<OrderActivities>({
  ...ONE_ATTEMPT,
  heartbeatTimeout: '5 seconds',
});

/**
 * Local: the call runs in the worker that runs the workflow task, recorded as a marker in the task's completion — no
 * queue hop and no extra workflow task per call. While one runs, the workflow task stays open: a cancel request or a
 * timer is seen once the call ends (the 5 s gRPC deadline bounds that), which is why the TCC tries, which race the
 * try deadline, stay remote. And a local activity runs BEFORE the workflow task that decided it is recorded: when
 * that task is lost (worker crash, or a completion the server refuses because a cancel request came in), its re-run
 * starts from the last recorded point, sees the new events earlier and may decide otherwise — harmless for a step
 * that a cancelled saga undoes anyway (Saga.plan; the barrier makes re-run calls DUPLICATE), fatal for a call after a
 * point of no return: those are `decided`, remote.
 */
const local: OrderCalls = proxyLocalActivities<OrderActivities>(ONE_ATTEMPT);

/** The proxies of this workflow execution; call once, first thing in the workflow (it records the patch marker). */
export function orderProxies(): OrderProxies {
  if (patched(LOCAL_ACTIVITIES_PATCH)) return { calls: local, tries: remote, decided: remote, local: true };
  return { calls: remote, tries: remote, decided: remote, local: false };
}
