/**
 * Every Temporal name dtx agrees on, in one place: imported by workflows, workers, the API and the CLI.
 * Pure constants and helpers only, so workflow code may import it.
 */

export const TASK_QUEUE = 'dtx-orders';

export const WORKFLOW_TYPES = { saga: 'placeOrderSaga', tcc: 'placeOrderTcc' } as const;
export type TxMode = keyof typeof WORKFLOW_TYPES;
export const TX_MODES: readonly TxMode[] = ['saga', 'tcc'];

export const QUERY_TX_STATE = 'txState';

/**
 * Update that answers once the transaction's outcome is decided (`POST /v1/orders?wait=decided`, sent with
 * Update-with-Start): TCC once every try succeeded or the undo began; saga once the pivot applied or the undo began.
 */
export const UPDATE_DECIDED = 'decided';

/** What a decided-but-not-finished transaction answers: every try succeeded, the confirms run behind the answer. */
export const COMMITTING = 'COMMITTING';

/** Memo keys the API writes at start (and the `decided` update reads back, so one call tells a repeat apart). */
export const MEMO_KEYS = {
  requestHash: 'dtxRequestHash',
  requestNonce: 'dtxRequestNonce',
  idempotencyKey: 'dtxIdempotencyKey',
} as const;

// WAITING_FOR_PAYMENT: an async payment's result is awaited (shown instead of RUNNING meanwhile; issue 14)
export const TX_STATUSES = [
  'RUNNING',
  'WAITING_FOR_PAYMENT',
  'COMPENSATING',
  'COMPLETED',
  'COMPENSATED',
  'FAILED',
] as const;
export type TxStatus = (typeof TX_STATUSES)[number];

export const STEP_STATES = [
  'pending',
  'running',
  'done',
  'failed',
  'compensating',
  'compensated',
  'skipped',
] as const;
export type StepState = (typeof STEP_STATES)[number];

const WORKFLOW_ID_PREFIX = 'order-';

/** Workflow id of an order's transaction: `order-<orderId>`. */
export function workflowIdFor(orderId: string): string {
  return `${WORKFLOW_ID_PREFIX}${orderId}`;
}

/** The order id inside a workflow id, or undefined when it is not a dtx order workflow id. */
export function orderIdFromWorkflowId(workflowId: string): string | undefined {
  return workflowId.startsWith(WORKFLOW_ID_PREFIX) ? workflowId.slice(WORKFLOW_ID_PREFIX.length) : undefined;
}

/** Step names of the order flows; each is also the barrier `branch_id` of its calls (docs/design.md, "Barrier"). */
export const STEPS = {
  quote: 'quote',
  order: 'order',
  inventory: 'inventory',
  coupon: 'coupon',
  payment: 'payment',
  confirm: 'confirm',
} as const;

/** Barrier ops (docs/design.md): saga action/compensate, TCC try/confirm/cancel. */
export const BARRIER_OPS = ['action', 'compensate', 'try', 'confirm', 'cancel'] as const;
export type BarrierOp = (typeof BARRIER_OPS)[number];

/** What the barrier made of a call (docs/design.md): the services answer it, the activities pass it on. */
export const BARRIER_OUTCOMES = ['APPLIED', 'DUPLICATE', 'EMPTY'] as const;
export type BarrierOutcome = (typeof BARRIER_OUTCOMES)[number];

/** ApplicationFailure types for non-business, non-retryable gRPC codes (services/rpc/errors.ts maps the codes). */
export const ERROR_TYPES = {
  invalidArgument: 'InvalidArgument',
  notFound: 'NotFound',
  alreadyExists: 'AlreadyExists',
} as const;

/**
 * Error types that end a forward step at once even if an activity marked them retryable (a safety net: the
 * activities mark every non-transient failure, e.g. a FAILED_PRECONDITION reason, non-retryable themselves).
 */
export const NON_RETRYABLE_ERROR_TYPES: readonly string[] = [
  ERROR_TYPES.invalidArgument,
  ERROR_TYPES.notFound,
  ERROR_TYPES.alreadyExists,
];

/** Why a transaction stopped when no service rejected it. */
export const ABORT_REASONS = { cancelled: 'CANCELLED', tryTimeout: 'TRY_TIMEOUT' } as const;

/**
 * Async payments (issue 14): an order with payment "async" authorizes, then waits for the provider's result, which
 * the payment bridge delivers as this signal (workflow id = tx id); "sync" (default) charges at once.
 */
export const PAYMENT_MODES = ['sync', 'async'] as const;
export type PaymentMode = (typeof PAYMENT_MODES)[number];
export const SIGNAL_PAYMENT_RESULT = 'paymentResult';
/** The status shown while an async payment's result is awaited. */
export const WAITING_FOR_PAYMENT = 'WAITING_FOR_PAYMENT';
/** Why an async payment aborted its transaction. */
export const PAYMENT_ABORT_REASONS = { declined: 'PAYMENT_DECLINED', timeout: 'PAYMENT_TIMEOUT' } as const;
