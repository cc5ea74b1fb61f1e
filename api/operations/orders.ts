/** Place an order (idempotently) and read one back: the operations behind POST/GET /v1/orders and `dtx order`. */
import { randomUUID } from 'node:crypto';
import {
  WithStartWorkflowOperation,
  WorkflowFailedError,
  type WorkflowExecutionDescription,
  type WorkflowHandle,
  type WorkflowStartOptions,
} from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  decidedUpdate,
  txStateQuery,
  type PlaceOrderResult,
  type TxDecision,
  type TxState,
} from '../../workflows/contract';
import { MEMO_KEYS, WORKFLOW_TYPES, workflowIdFor, type TxMode } from '../../workflows/names';
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
import { fromTemporalError, linksFor, temporalCall } from './temporal';

/** Memo keys dtx writes at start (defined with the workflow names: the `decided` update reads them back). */
export const MEMO = MEMO_KEYS;

/** How long `wait` waits for an outcome by default. */
export const DEFAULT_WAIT_MS = 30_000;
/** How long a txState query may take before the view falls back to what Temporal knows without a worker. */
const QUERY_DEADLINE_MS = 3_000;

/** What a waiting request waits for: the workflow's result, or the moment its outcome is decided. */
export type WaitFor = 'outcome' | 'decided';

export interface PlaceOrderRequest {
  body: unknown;
  idempotencyKey?: string;
  /** Wait up to this long; 0 = answer as soon as the workflow started. */
  waitMs?: number;
  /**
   * 'outcome' (default): the workflow's result. 'decided': the decision (docs/using.md, "Wait modes") — TCC once every
   * try succeeded (COMMITTING, confirms run on) or the undo began; saga once the pivot applied or the undo began.
   */
  waitFor?: WaitFor;
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
  const mode = valid.mode ?? 'saga';
  // the async wait sits before the saga's pivot; TCC has no such place (issue 14)
  if (valid.payment === 'async' && mode !== 'saga')
    throw badRequest('invalid body: payment "async" needs mode saga', [
      { path: 'payment', message: 'async is supported with mode saga only' },
    ]);
  if (valid.paymentTimeoutMs !== undefined && valid.payment !== 'async')
    throw badRequest('invalid body: paymentTimeoutMs needs payment "async"', [
      { path: 'paymentTimeoutMs', message: 'only an async payment waits' },
    ]);
  return { ...valid, mode };
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

/** The workflow start of one request: type, options (memo with the request's nonce and hash), identity. */
interface PreparedStart {
  body: PlaceOrderBody & { mode: TxMode };
  orderId: string;
  workflowId: string;
  requestHash: string;
  nonce: string;
  workflowType: string;
  options: WorkflowStartOptions;
  idempotencyKey?: string;
  /** An earlier request may have started this workflow (an Idempotency-Key that was known already). */
  mayBeRepeat: boolean;
}

async function prepareStart(deps: ApiDependencies, request: PlaceOrderRequest): Promise<PreparedStart> {
  const body = validateOrderRequest(request.body);
  const orderId = orderIdFor(body.customerId, request.idempotencyKey);
  const workflowId = workflowIdFor(orderId);
  const requestHash = orderRequestHash(body);
  // without a key the order id is random: nobody else can have started it
  let mayBeRepeat = false;
  if (request.idempotencyKey !== undefined) {
    // the API's own record first: it outlives the run in Temporal, whose memo is checked as well on a repeat
    const first = await deps.idempotency.claim(body.customerId, request.idempotencyKey, {
      orderId,
      requestHash,
    });
    if (first.requestHash !== requestHash) throw keyReused(request.idempotencyKey, workflowId);
    mayBeRepeat = !first.fresh;
  }
  const nonce = randomUUID();
  const start = deps.startTransaction(body.mode, {
    orderId,
    customerId: body.customerId,
    items: body.items.map((item) => ({ sku: item.sku, quantity: item.quantity })),
    ...(body.couponCode !== undefined ? { couponCode: body.couponCode } : {}),
    ...(body.payment === 'async' ? { payment: 'async' as const } : {}),
    ...(body.paymentTimeoutMs !== undefined ? { paymentTimeoutMs: body.paymentTimeoutMs } : {}),
  });
  const memo: Record<string, unknown> = {
    ...start.options.memo,
    [MEMO.requestHash]: requestHash,
    [MEMO.requestNonce]: nonce,
  };
  if (request.idempotencyKey !== undefined) memo[MEMO.idempotencyKey] = request.idempotencyKey;
  return {
    body,
    orderId,
    workflowId,
    requestHash,
    nonce,
    workflowType: start.workflowType,
    options: {
      ...start.options,
      workflowId,
      memo,
      // a repeat joins the running transaction; a closed one is never started again under the same id
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    },
    idempotencyKey: request.idempotencyKey,
    mayBeRepeat,
  };
}

/**
 * Starts the order's transaction, or finds the one an earlier request with the same Idempotency-Key started.
 * Same key + same body → that transaction (replayed = true); same key + another body → CONFLICT.
 * Temporal calls: start, plus the result when waiting for the outcome; a describe only when the request may be a repeat
 * (a known key, or a closed workflow). Waiting for the decision: one Update-with-Start.
 */
export async function placeOrder(
  deps: ApiDependencies,
  request: PlaceOrderRequest,
): Promise<PlaceOrderResponse> {
  // before anything is written: a service the order needs is known down (degradation.ts)
  await deps.breakers?.admit(request.body);
  const prepared = await prepareStart(deps, request);
  const waitMs = request.waitMs ?? 0;
  if (waitMs > 0 && request.waitFor === 'decided') {
    const deadline = Date.now() + waitMs;
    const decided = await awaitDecision(deps, prepared, waitMs);
    if (decided !== undefined) return decided;
    // not decided in time, or no decision to be had (a closed or older workflow): say what the workflow shows
    return startAndWait(deps, prepared, Math.max(0, deadline - Date.now()), true);
  }
  return startAndWait(deps, prepared, waitMs, false);
}

/** Start (joining a running one), then wait up to `waitMs` for the result. */
async function startAndWait(
  deps: ApiDependencies,
  prepared: PreparedStart,
  waitMs: number,
  mustDescribe: boolean,
): Promise<PlaceOrderResponse> {
  const { body, orderId, workflowId, nonce, requestHash } = prepared;
  const client = deps.temporal.client;
  const startedRunId = await temporalCall(workflowId, async () => {
    try {
      const handle = await client.workflow.start(prepared.workflowType, prepared.options);
      return handle.firstExecutionRunId;
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      return undefined; // closed already: a late repeat (or a key reused after its record expired)
    }
  });

  let runId: string;
  let mode: TxMode = body.mode;
  let replayed = false;
  let running = true;
  let status: string = 'RUNNING';
  if (startedRunId === undefined || prepared.mayBeRepeat || mustDescribe) {
    const description = await temporalCall(workflowId, () =>
      client.workflow.getHandle(workflowId).describe(),
    );
    replayed = description.memo?.[MEMO.requestNonce] !== nonce;
    if (replayed && description.memo?.[MEMO.requestHash] !== requestHash) {
      throw keyReused(prepared.idempotencyKey ?? '', workflowId);
    }
    mode = modeOfWorkflowType(description.type) ?? body.mode;
    runId = description.runId;
    running = description.status.name === 'RUNNING';
    status = description.typedSearchAttributes.get(TX_STATUS) ?? status;
  } else {
    // this request's own fresh start: nothing to tell apart, the workflow just began
    runId = startedRunId;
  }
  const runHandle = client.workflow.getHandle(workflowId, runId);
  // a closed transaction (a late repeat) answers with its outcome at once
  const wait = running ? waitMs : DEFAULT_WAIT_MS;
  const outcome =
    wait > 0 ? await temporalCall(workflowId, () => waitForOutcome(deps, runHandle, wait)) : undefined;
  return {
    orderId,
    workflowId,
    runId,
    mode,
    replayed,
    status: outcome?.status ?? status,
    ...(outcome !== undefined ? { outcome } : {}),
    links: linksFor(deps.temporal, workflowId, runId),
  };
}

/**
 * Update-with-Start of the `decided` update: starts the workflow (or joins the running one) and answers once its
 * outcome is decided, in one call (the server holds it; no polling while the update completes within its long poll).
 * Undefined when there is no decision to be had within `waitMs` (not decided yet, a closed workflow, one whose code
 * predates the update): the caller then reads the workflow as `wait=true` does.
 */
async function awaitDecision(
  deps: ApiDependencies,
  prepared: PreparedStart,
  waitMs: number,
): Promise<PlaceOrderResponse | undefined> {
  const { workflowId, orderId, nonce, requestHash } = prepared;
  const client = deps.temporal.client;
  const startWorkflowOperation = new WithStartWorkflowOperation(prepared.workflowType, {
    ...prepared.options,
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), waitMs);
  let decision: TxDecision;
  try {
    decision = await client.withAbortSignal(abort.signal, () =>
      client.workflow.executeUpdateWithStart(decidedUpdate, { startWorkflowOperation }),
    );
  } catch (error) {
    if (abort.signal.aborted) return undefined;
    const mapped = fromTemporalError(error, workflowId);
    // Temporal not answering is an answer; anything else (closed, or no handler) falls back to reading the workflow
    if (mapped instanceof DtxError && mapped.code === 'UNAVAILABLE') throw mapped;
    return undefined;
  } finally {
    clearTimeout(timer);
  }
  const replayed = decision.requestNonce !== nonce;
  if (replayed && decision.requestHash !== requestHash) {
    throw keyReused(prepared.idempotencyKey ?? '', workflowId);
  }
  const final = decision.status === 'COMPLETED' || decision.status === 'COMPENSATED';
  // a run that ended already (a saga's pivot is its last step): the result it returned, as wait=true shows it
  const result: PlaceOrderResult | undefined = !final
    ? undefined
    : decision.status === 'COMPLETED'
      ? { status: 'COMPLETED', orderId, total: decision.total ?? 0 }
      : {
          status: 'COMPENSATED',
          orderId,
          reason: decision.reason ?? '',
          failedStep: decision.failedStep ?? '',
        };
  const outcome = result ? { ...result } : undefined;
  return {
    orderId,
    workflowId,
    runId: decision.runId,
    mode: decision.mode,
    replayed,
    status: decision.status,
    decision: {
      status: decision.status,
      decidedAt: decision.decidedAt,
      ...(decision.failedStep !== undefined ? { failedStep: decision.failedStep } : {}),
      ...(decision.reason !== undefined ? { reason: decision.reason } : {}),
    },
    ...(outcome !== undefined ? { outcome } : {}),
    links: linksFor(deps.temporal, workflowId, decision.runId),
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
