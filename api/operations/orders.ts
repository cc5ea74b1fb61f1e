/** Place an order (idempotently) and read one back: the operations behind POST/GET /v1/orders and `dtx order`. */
import { randomUUID } from 'node:crypto';
import {
  WorkflowFailedError,
  type WorkflowExecutionDescription,
  type WorkflowHandle,
} from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { txStateQuery, type PlaceOrderResult, type TxState } from '../../workflows/contract';
import { WORKFLOW_TYPES, workflowIdFor, type TxMode } from '../../workflows/names';
import { TX_MODE, TX_STATUS } from '../../workflows/search-attributes';
import type { TimelineEntry } from '../../timeline/queries';
import type { ApiDependencies, OrderRecord } from './deps';
import {
  badRequest,
  conflict,
  describeError,
  DtxError,
  notFound,
  unavailable,
  type FieldError,
} from './errors';
import { orderIdFor, orderRequestHash } from './idempotency';
import {
  PlaceOrderBodySchema,
  type OrderView,
  type PlaceOrderBody,
  type PlaceOrderResponse,
} from './schemas';
import { assertValid } from './validation';
import { linksFor, temporalCall } from './temporal';

/** Memo keys dtx writes at start. */
export const MEMO = {
  requestHash: 'dtxRequestHash',
  requestNonce: 'dtxRequestNonce',
  idempotencyKey: 'dtxIdempotencyKey',
};

/** How long `wait` waits for an outcome by default. */
export const DEFAULT_WAIT_MS = 30_000;
/** How long a txState query may take before the view falls back to what Temporal knows without a worker. */
const QUERY_DEADLINE_MS = 3_000;

export interface PlaceOrderRequest {
  body: unknown;
  idempotencyKey?: string;
  /** Wait up to this long for the outcome; 0 = answer as soon as the workflow started. */
  waitMs?: number;
}

/** The fields the schema cannot say: each SKU at most once. */
function duplicateSkuErrors(body: PlaceOrderBody): FieldError[] {
  const firstIndex = new Map<string, number>();
  const errors: FieldError[] = [];
  body.items.forEach((item, index) => {
    const earlier = firstIndex.get(item.sku);
    if (earlier === undefined) firstIndex.set(item.sku, index);
    else
      errors.push({
        path: `items/${index}/sku`,
        message: `duplicate SKU "${item.sku}" (also items/${earlier})`,
      });
  });
  return errors;
}

/** Validates an order request (schema + rules); BAD_REQUEST naming every failing field. */
export function validateOrderRequest(body: unknown): PlaceOrderBody & { mode: TxMode } {
  const valid = assertValid(PlaceOrderBodySchema, body, 'body');
  const duplicates = duplicateSkuErrors(valid);
  if (duplicates.length > 0) throw badRequest('invalid body: each SKU may appear once', duplicates);
  return { ...valid, mode: valid.mode ?? 'saga' };
}

function modeOfWorkflowType(type: string): TxMode | undefined {
  return (Object.keys(WORKFLOW_TYPES) as TxMode[]).find((mode) => WORKFLOW_TYPES[mode] === type);
}

/** The workflow result as an outcome; a failed workflow (not a business outcome) reads as FAILED with its reason. */
async function outcomeOf(handle: WorkflowHandle): Promise<PlaceOrderResponse['outcome']> {
  try {
    const result = (await handle.result()) as PlaceOrderResult;
    return { ...result };
  } catch (error) {
    if (error instanceof WorkflowFailedError) {
      const cause = error.cause ? describeError(error.cause) : error.message;
      return { status: 'FAILED', reason: cause };
    }
    throw error;
  }
}

/** Waits at most `ms` for the outcome; undefined when the workflow is still running then. */
async function waitForOutcome(deps: ApiDependencies, handle: WorkflowHandle, ms: number) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), ms);
  try {
    return await deps.temporal.client.withAbortSignal(abort.signal, () => outcomeOf(handle));
  } catch (error) {
    if (abort.signal.aborted) return undefined;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

function keyReused(key: string, workflowId: string): Error {
  return conflict(
    'IDEMPOTENCY_KEY_REUSED',
    `Idempotency-Key "${key}" was used for a different order request (${workflowId})`,
  );
}

/**
 * Starts the order's transaction, or finds the one an earlier request with the same Idempotency-Key started.
 * Same key + same body → that transaction (replayed = true); same key + another body → CONFLICT.
 */
export async function placeOrder(
  deps: ApiDependencies,
  request: PlaceOrderRequest,
): Promise<PlaceOrderResponse> {
  const body = validateOrderRequest(request.body);
  const orderId = orderIdFor(body.customerId, request.idempotencyKey);
  const workflowId = workflowIdFor(orderId);
  const requestHash = orderRequestHash(body);
  if (request.idempotencyKey !== undefined) {
    // the API's own record first: it outlives the run in Temporal, whose memo is checked below as well
    const first = await deps.idempotency.claim(body.customerId, request.idempotencyKey, {
      orderId,
      requestHash,
    });
    if (first.requestHash !== requestHash) throw keyReused(request.idempotencyKey, workflowId);
  }
  const nonce = randomUUID();
  const start = deps.startTransaction(body.mode, {
    orderId,
    customerId: body.customerId,
    items: body.items.map((item) => ({ sku: item.sku, quantity: item.quantity })),
    ...(body.couponCode !== undefined ? { couponCode: body.couponCode } : {}),
  });
  const memo: Record<string, unknown> = {
    ...start.options.memo,
    [MEMO.requestHash]: requestHash,
    [MEMO.requestNonce]: nonce,
  };
  if (request.idempotencyKey !== undefined) memo[MEMO.idempotencyKey] = request.idempotencyKey;

  const client = deps.temporal.client;
  await temporalCall(workflowId, async () => {
    try {
      await client.workflow.start(start.workflowType, {
        ...start.options,
        workflowId,
        memo,
        // a repeat joins the running transaction; a closed one is never started again under the same id
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  });

  const handle = client.workflow.getHandle(workflowId);
  const description = await temporalCall(workflowId, () => handle.describe());
  const replayed = description.memo?.[MEMO.requestNonce] !== nonce;
  if (replayed && description.memo?.[MEMO.requestHash] !== requestHash) {
    throw keyReused(request.idempotencyKey ?? '', workflowId);
  }
  const mode = modeOfWorkflowType(description.type) ?? body.mode;
  const runHandle = client.workflow.getHandle(workflowId, description.runId);
  // a closed transaction (a late repeat) answers with its outcome at once
  const waitMs = description.status.name === 'RUNNING' ? (request.waitMs ?? 0) : DEFAULT_WAIT_MS;
  const outcome =
    waitMs > 0 ? await temporalCall(workflowId, () => waitForOutcome(deps, runHandle, waitMs)) : undefined;
  return {
    orderId,
    workflowId,
    runId: description.runId,
    mode,
    replayed,
    status: outcome?.status ?? description.typedSearchAttributes.get(TX_STATUS) ?? 'RUNNING',
    ...(outcome !== undefined ? { outcome } : {}),
    links: linksFor(deps.temporal, workflowId, description.runId),
  };
}

/** txState from the worker (query), else from the closed workflow's result, else from the search attributes. */
async function readTxState(
  deps: ApiDependencies,
  handle: WorkflowHandle,
  description: WorkflowExecutionDescription,
): Promise<Pick<OrderView, 'txState' | 'txStateSource' | 'outcome'>> {
  const closed = description.status.name !== 'RUNNING';
  const outcome = closed
    ? await waitForOutcome(deps, handle, QUERY_DEADLINE_MS).catch(() => undefined)
    : undefined;
  try {
    const txState: TxState = await deps.temporal.client.withDeadline(Date.now() + QUERY_DEADLINE_MS, () =>
      handle.query(txStateQuery),
    );
    return { txState: { ...txState }, txStateSource: 'query', ...(outcome ? { outcome } : {}) };
  } catch {
    // no worker answered in time (or the workflow cannot be queried): say what Temporal itself knows
    const status = outcome?.status ?? description.typedSearchAttributes.get(TX_STATUS);
    const txState =
      status === undefined ? null : { status, mode: description.typedSearchAttributes.get(TX_MODE) };
    return { txState, txStateSource: outcome ? 'result' : 'visibility', ...(outcome ? { outcome } : {}) };
  }
}

/** The order's transaction state, its record in the order service and its event timeline. */
export async function getOrderView(deps: ApiDependencies, orderId: string): Promise<OrderView> {
  const workflowId = workflowIdFor(orderId);
  const handle = deps.temporal.client.workflow.getHandle(workflowId);
  const unavailableParts: string[] = [];
  /**
   * The order record and timeline are shown when their owners answer; the view says which did not, in dtx's words
   * (an unreachable one is a DtxError naming it), never with a driver's text or an address.
   */
  const degrade =
    <T>(part: string, fallback: T) =>
    (error: unknown): T => {
      unavailableParts.push(error instanceof DtxError ? error.message : `the ${part} could not be read`);
      return fallback;
    };
  const [description, order, timeline] = await Promise.all([
    temporalCall(workflowId, () => handle.describe()).catch((error: unknown) => {
      if (error instanceof DtxError && error.code === 'NOT_FOUND') return undefined;
      throw error;
    }),
    deps.orders.getOrder(orderId).catch(degrade<OrderRecord | null>('order service', null)),
    deps.timeline.getOrderTimeline(orderId).catch(degrade<TimelineEntry[]>('timeline', [])),
  ]);
  if (description === undefined && order === null) {
    if (unavailableParts.length > 0)
      throw unavailable(`order "${orderId}" has no workflow and ${unavailableParts.join('; ')}`);
    throw notFound(`order "${orderId}" not found`);
  }
  const runHandle = description
    ? deps.temporal.client.workflow.getHandle(workflowId, description.runId)
    : undefined;
  const state =
    description && runHandle
      ? await readTxState(deps, runHandle, description)
      : { txState: null, txStateSource: 'none' };
  return {
    orderId,
    workflowId,
    ...(description ? { runId: description.runId, executionStatus: description.status.name } : {}),
    ...state,
    order: order === null ? null : { ...order },
    timeline: timeline.map((entry) => ({
      ...entry,
      occurredAt: entry.occurredAt.toISOString(),
      recordedAt: entry.recordedAt.toISOString(),
    })),
    ...(unavailableParts.length > 0 ? { unavailable: unavailableParts } : {}),
    links: linksFor(deps.temporal, workflowId, description?.runId),
  };
}
