/**
 * List, cancel and retry transactions: the operations behind /v1/transactions and `dtx tx`.
 *
 * Retry semantics (documented in the README and the OpenAPI descriptions):
 * - FAILED, TIMED_OUT, TERMINATED: the run is reset to its last WorkflowTaskCompleted event — the last point where
 *   the workflow had decided everything so far and nothing after it is kept. The new run replays up to there and then
 *   runs the remaining steps and compensations again with the current code (its activities are idempotent through
 *   the barrier). Fix the cause first (code, fault, stock), or the retry ends the same way.
 * - RUNNING (including COMPENSATING): not retryable — it is still retrying by itself; cancel or terminate it first.
 * - COMPLETED with outcome COMPLETED: nothing to retry.
 * - COMPLETED with outcome COMPENSATED: the order was undone on purpose; it is not silently re-placed — place a new
 *   order.
 * - CANCELLED (cancelled while nothing was in flight): the cancellation was asked for; place a new order.
 */
import { createHash } from 'node:crypto';
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers';
import type { WorkflowExecutionInfo } from '@temporalio/client';
import { temporal as temporalProto } from '@temporalio/proto';
import Long from 'long';
import { orderIdFromWorkflowId, WORKFLOW_TYPES } from '../../workflows/names';
import type { PlaceOrderResult } from '../../workflows/contract';
import { CUSTOMER_ID, ORDER_ID, TX_MODE, TX_STATUS } from '../../workflows/search-attributes';
import type { ApiDependencies } from './deps';
import { conflict, DtxError, notFound } from './errors';
import type { CancelResponse, RetryResponse, TransactionList, TransactionSummary } from './schemas';
import {
  buildTransactionsQuery,
  decodePageToken,
  encodePageToken,
  type TransactionFilter,
} from './visibility';
import { linksFor, temporalCall } from './temporal';

// in its own module: `dtx tx retry --help` shows it without loading the Temporal client
export { RETRY_DESCRIPTION } from './retry-description';

export const DEFAULT_PAGE_SIZE = 20;

export interface ListTransactionsRequest extends TransactionFilter {
  pageSize?: number;
  pageToken?: string;
}

function summaryOf(deps: ApiDependencies, info: WorkflowExecutionInfo): TransactionSummary {
  const summary: TransactionSummary = {
    workflowId: info.workflowId,
    runId: info.runId,
    workflowType: info.type,
    executionStatus: info.status.name,
    startTime: info.startTime.toISOString(),
    links: linksFor(deps.temporal, info.workflowId, info.runId),
  };
  const orderId = info.typedSearchAttributes.get(ORDER_ID) ?? orderIdFromWorkflowId(info.workflowId);
  if (orderId !== undefined) summary.orderId = orderId;
  const mode = info.typedSearchAttributes.get(TX_MODE);
  if (mode !== undefined) summary.mode = mode;
  const txStatus = info.typedSearchAttributes.get(TX_STATUS);
  if (txStatus !== undefined) summary.txStatus = txStatus;
  const customerId = info.typedSearchAttributes.get(CUSTOMER_ID);
  if (customerId !== undefined) summary.customerId = customerId;
  if (info.closeTime) summary.closeTime = info.closeTime.toISOString();
  return summary;
}

/** One page of dtx transactions from Temporal visibility, newest first. */
export async function listTransactions(
  deps: ApiDependencies,
  request: ListTransactionsRequest,
): Promise<TransactionList> {
  const query = buildTransactionsQuery(request);
  const nextPageToken = decodePageToken(request.pageToken);
  const { client, namespace } = deps.temporal;
  const response = await temporalCall(undefined, () =>
    client.workflowService.listWorkflowExecutions({
      namespace,
      query,
      pageSize: request.pageSize ?? DEFAULT_PAGE_SIZE,
      nextPageToken,
    }),
  ).catch((error: unknown) => {
    // a page token Temporal cannot read is the caller's mistake, not a server fault
    if (request.pageToken !== undefined && !(error instanceof DtxError)) {
      throw new DtxError('BAD_REQUEST', 'pageToken is not a valid page token', {
        fields: [{ path: 'pageToken', message: 'not a page token of this list' }],
      });
    }
    throw error;
  });
  const transactions = await Promise.all(
    (response.executions ?? []).map(async (raw) =>
      summaryOf(deps, await executionInfoFromRaw(raw, client.options.loadedDataConverter, raw, namespace)),
    ),
  );
  const token = encodePageToken(response.nextPageToken);
  return { transactions, ...(token !== undefined ? { nextPageToken: token } : {}) };
}

const DTX_WORKFLOW_TYPES: ReadonlySet<string> = new Set(Object.values(WORKFLOW_TYPES));

/**
 * The latest run of a dtx transaction. Any other workflow of the namespace (another application's, or one that only
 * borrowed an `order-` id) is NOT_FOUND: cancel and retry must never touch it.
 */
async function describeTransaction(deps: ApiDependencies, workflowId: string) {
  const handle = deps.temporal.client.workflow.getHandle(workflowId);
  const description = await temporalCall(workflowId, () => handle.describe());
  if (!DTX_WORKFLOW_TYPES.has(description.type)) {
    throw notFound(`"${workflowId}" is not a dtx transaction`);
  }
  return description;
}

/** Asks a running transaction to stop: during the forward phase it compensates/cancels what it did. */
export async function cancelTransaction(deps: ApiDependencies, workflowId: string): Promise<CancelResponse> {
  const description = await describeTransaction(deps, workflowId);
  if (description.status.name !== 'RUNNING') {
    throw conflict(
      'NOT_RUNNING',
      `transaction "${workflowId}" is ${description.status.name}: there is nothing to cancel`,
    );
  }
  await temporalCall(workflowId, () =>
    deps.temporal.client.workflow.getHandle(workflowId, description.runId).cancel(),
  );
  return {
    workflowId,
    runId: description.runId,
    status: 'CANCEL_REQUESTED',
    links: linksFor(deps.temporal, workflowId, description.runId),
  };
}

const EVENT_TYPE = temporalProto.api.enums.v1.EventType;

/** Id of the last WorkflowTaskCompleted event: the last point the workflow had fully decided. */
export function lastSafeResetPoint(
  events: ReadonlyArray<{ eventId?: unknown; eventType?: unknown }>,
): number | undefined {
  for (let index = events.length - 1; index >= 0; index--) {
    const event = events[index];
    if (event.eventType === EVENT_TYPE.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) return Number(event.eventId);
  }
  return undefined;
}

/** Why a closed-as-COMPLETED run is not retried, from its outcome. */
async function completedRunRefusal(
  deps: ApiDependencies,
  workflowId: string,
  runId: string,
): Promise<DtxError> {
  const result = (await temporalCall(workflowId, () =>
    deps.temporal.client.workflow.getHandle(workflowId, runId).result(),
  )) as PlaceOrderResult;
  if (result.status === 'COMPENSATED') {
    return conflict(
      'COMPENSATED_PLACE_NEW_ORDER',
      `transaction "${workflowId}" was compensated (${result.reason}): the order was undone on purpose and is not ` +
        're-placed by a retry; place a new order',
    );
  }
  return conflict('NOTHING_TO_RETRY', `transaction "${workflowId}" completed: there is nothing to retry`);
}

/**
 * Resets a FAILED, TIMED_OUT or TERMINATED transaction to its last WorkflowTaskCompleted, so its remaining steps and
 * compensations run again with the current code. Anything else → CONFLICT with the reason.
 */
export async function retryTransaction(deps: ApiDependencies, workflowId: string): Promise<RetryResponse> {
  const { client, namespace } = deps.temporal;
  const description = await describeTransaction(deps, workflowId);
  const status = description.status.name;
  switch (status) {
    case 'RUNNING':
      throw conflict(
        'NOT_RETRYABLE_RUNNING',
        `transaction "${workflowId}" is still running (it retries by itself); cancel or terminate it before a retry`,
      );
    case 'COMPLETED':
      throw await completedRunRefusal(deps, workflowId, description.runId);
    case 'CANCELLED':
      throw conflict(
        'CANCELLED_PLACE_NEW_ORDER',
        `transaction "${workflowId}" was cancelled on request; place a new order`,
      );
    case 'FAILED':
    case 'TIMED_OUT':
    case 'TERMINATED':
      break;
    default:
      throw conflict('NOT_RETRYABLE', `transaction "${workflowId}" is ${status}: it cannot be reset`);
  }
  const history = await temporalCall(workflowId, () =>
    client.workflow.getHandle(workflowId, description.runId).fetchHistory(),
  );
  const resetToEventId = lastSafeResetPoint(history.events ?? []);
  if (resetToEventId === undefined) {
    throw conflict(
      'NO_RESET_POINT',
      `transaction "${workflowId}" ended before its first workflow task completed: there is no point to reset to; ` +
        'place a new order',
    );
  }
  // the same failed run always gets the same request id, so a repeated retry does not reset twice
  const requestId = createHash('sha256')
    .update(`dtx-retry:${description.runId}:${resetToEventId}`)
    .digest('hex')
    .slice(0, 32);
  const response = await temporalCall(workflowId, () =>
    client.workflowService.resetWorkflowExecution({
      namespace,
      workflowExecution: { workflowId, runId: description.runId },
      reason: `dtx retry of a ${status} run`,
      workflowTaskFinishEventId: Long.fromNumber(resetToEventId),
      requestId,
    }),
  );
  const runId = response.runId ?? '';
  return {
    workflowId,
    previousRunId: description.runId,
    previousExecutionStatus: status,
    runId,
    resetToEventId,
    links: linksFor(deps.temporal, workflowId, runId),
  };
}
