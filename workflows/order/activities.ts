/** The activity proxy of the order flows. */
import { ActivityCancellationType, proxyActivities } from '@temporalio/workflow';
import type { OrderActivities } from '../../activities';
import { NON_RETRYABLE_ERROR_TYPES } from '../names';

/** The kind of activity new order workflows run their calls as (bench:saga runs its floor with the same kind). */
export const ORDER_ACTIVITY_KIND: 'local' | 'remote' = 'remote';

/**
 * One attempt per activity execution: the transaction library retries in the workflow (see lib/transaction.ts),
 * so txState sees every attempt. startToClose stays above the activities' gRPC deadline (5 s) so a slow call fails
 * as DEADLINE_EXCEEDED first; heartbeats let a cancel reach a running call. TRY_CANCEL: a cancelled forward call is
 * abandoned at once (its compensation runs anyway and the barrier orders the two).
 */
export const acts = proxyActivities<OrderActivities>({
  startToCloseTimeout: '15 seconds',
  heartbeatTimeout: '5 seconds',
  retry: { maximumAttempts: 1, nonRetryableErrorTypes: [...NON_RETRYABLE_ERROR_TYPES] },
  cancellationType: ActivityCancellationType.TRY_CANCEL,
});
