/** What both order flows share: input checks, the transaction and its query, the quote step, the result. */
import {
  ApplicationFailure,
  condition,
  makeContinueAsNewFunc,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  decidedUpdate,
  DEFAULT_RETRY_TUNING,
  txStateQuery,
  type OrderQuote,
  type PlaceOrderInput,
  type PlaceOrderResult,
  type SettleResume,
  type TxDecision,
  type TxState,
} from '../contract';
import {
  runSettlePlan,
  SettleDeferred,
  Transaction,
  TxAborted,
  type SagaOutcome,
  type SagaStep,
  type StepSpec,
  type TxCoreState,
} from '../lib';
import {
  ERROR_TYPES,
  MEMO_KEYS,
  NON_RETRYABLE_ERROR_TYPES,
  STEPS,
  type BarrierOp,
  type TxMode,
} from '../names';
import { CUSTOMER_ID, ORDER_ID, TX_MODE } from '../search-attributes';
import type { OrderCalls } from './activities';

type OrderExtra = Omit<TxState, keyof TxCoreState> & { mode: TxMode };
export type OrderTransaction = Transaction<OrderExtra>;

/** "2× sku-a, 1× sku-b" */
export function describeItems(input: PlaceOrderInput): string {
  return input.items.map((i) => `${i.quantity}× ${i.sku}`).join(', ');
}

/** Why the input cannot be a transaction, or undefined when it can. */
function inputProblem(input: PlaceOrderInput, mode: TxMode): string | undefined {
  const text = (value: unknown) => typeof value === 'string' && value.trim() !== '';
  if (!text(input.orderId)) return 'orderId must be a non-empty string';
  if (!text(input.customerId)) return 'customerId must be a non-empty string';
  if (!Array.isArray(input.items) || input.items.length === 0) return 'items must list at least one item';
  const bad = input.items.findIndex((i) => !text(i.sku) || !Number.isInteger(i.quantity) || i.quantity <= 0);
  if (bad >= 0) return `items[${bad}] needs a sku and a positive integer quantity`;
  if (input.couponCode !== undefined && input.couponCode !== '' && !text(input.couponCode))
    return 'couponCode must be a string';
  if (input.tryTimeoutMs !== undefined && !(Number.isInteger(input.tryTimeoutMs) && input.tryTimeoutMs > 0)) {
    return 'tryTimeoutMs must be a positive integer';
  }
  if (input.payment !== undefined && input.payment !== 'sync' && input.payment !== 'async')
    return 'payment must be "sync" or "async"';
  // the async wait sits before the saga's pivot; a TCC payment try has no such place (issue 14: saga only)
  if (input.payment === 'async' && mode !== 'saga') return 'payment "async" needs mode saga';
  const timeout = input.paymentTimeoutMs;
  if (timeout !== undefined && !(Number.isInteger(timeout) && timeout > 0))
    return 'paymentTimeoutMs must be a positive integer';
  return undefined;
}

/**
 * Opens an order transaction: the state behind `txState`, its query handler, the identity search attributes
 * (when the starter did not set them). Invalid input ends the workflow as FAILED (nothing was touched).
 */
export function openOrderTx(
  mode: TxMode,
  input: PlaceOrderInput,
  localCalls: boolean,
  steps: (order: string, couponCode: string | undefined) => StepSpec[],
  extra: Partial<OrderExtra> = {},
): OrderTransaction {
  const couponCode = input.couponCode === '' ? undefined : input.couponCode;
  const resumed = input.resume?.state;
  const tx = new Transaction<OrderExtra>(
    {
      mode,
      title: `${mode} · order ${input.orderId}`,
      steps: steps(input.orderId, couponCode),
      retry: { ...DEFAULT_RETRY_TUNING, ...input.retry },
      nonRetryableTypes: NON_RETRYABLE_ERROR_TYPES,
      localCalls,
      resume: resumed,
    },
    { mode, orderId: input.orderId, ...extra, ...(resumed?.quote ? { quote: resumed.quote } : {}) },
  );
  setHandler(txStateQuery, () => tx.view());
  // Answers once the outcome is decided; waiting on a condition records nothing, so histories replay unchanged.
  setHandler(decidedUpdate, async () => {
    await condition(() => tx.decision() !== undefined);
    return decisionOf(tx);
  });
  const attributes = workflowInfo().typedSearchAttributes;
  if (attributes.get(ORDER_ID) === undefined) {
    upsertSearchAttributes([
      { key: ORDER_ID, value: input.orderId },
      { key: CUSTOMER_ID, value: input.customerId },
      { key: TX_MODE, value: mode },
    ]);
  }
  const problem = inputProblem(input, mode);
  if (problem) {
    tx.finish('FAILED', new TxAborted(STEPS.quote, ERROR_TYPES.invalidArgument, problem));
    throw ApplicationFailure.nonRetryable(problem, ERROR_TYPES.invalidArgument);
  }
  return tx;
}

/** The `decided` update's answer: the decision, the order's identity and the memo fields that tell a repeat apart. */
function decisionOf(tx: OrderTransaction): TxDecision {
  const decision = tx.decision();
  if (!decision) throw new Error('decisionOf called before the outcome was decided'); // a bug
  const info = workflowInfo();
  const memoText = (key: string) => {
    const value = info.memo?.[key];
    return typeof value === 'string' ? value : undefined;
  };
  const total = tx.extra.quote?.total;
  const requestNonce = memoText(MEMO_KEYS.requestNonce);
  const requestHash = memoText(MEMO_KEYS.requestHash);
  return {
    ...decision,
    mode: tx.extra.mode,
    orderId: tx.extra.orderId,
    ...(total !== undefined ? { total } : {}),
    runId: info.runId,
    ...(requestNonce !== undefined ? { requestNonce } : {}),
    ...(requestHash !== undefined ? { requestHash } : {}),
  };
}

/** The quote step's summary. */
export function quoteSummary(input: PlaceOrderInput): string {
  const coupon = input.couponCode ? ` and quote coupon ${input.couponCode}` : '';
  return `Price ${describeItems(input)} from the catalogue${coupon} for order ${input.orderId}`;
}

/** Read-only: prices from the inventory catalogue, the coupon's discount; the total goes to the memo. */
export async function quoteOrder(
  tx: OrderTransaction,
  input: PlaceOrderInput,
  acts: OrderCalls,
): Promise<OrderQuote> {
  const { orderId, customerId, items, couponCode } = input;
  const priced = await acts.quoteItems.executeWithOptions(
    { summary: `inventory.Quote: price ${describeItems(input)} for order ${orderId}` },
    [{ items }],
  );
  let discount = 0;
  if (couponCode) {
    const summary = `coupon.Quote: discount of ${couponCode} on ${priced.subtotal} for order ${orderId}`;
    const coupon = await acts.quoteCoupon.executeWithOptions({ summary }, [
      { code: couponCode, customerId, orderAmount: priced.subtotal },
    ]);
    discount = coupon.discount;
  }
  const quote: OrderQuote = {
    lines: priced.lines,
    subtotal: priced.subtotal,
    discount,
    total: priced.subtotal - discount,
  };
  tx.extra.quote = quote;
  upsertMemo({ total: quote.total, subtotal: quote.subtotal, discount: quote.discount });
  return quote;
}

/** Step "order" of both modes: CreateOrder as PENDING with the quoted prices; undone by CancelOrder. */
export function orderStep(
  input: PlaceOrderInput,
  mode: TxMode,
  quote: OrderQuote,
  acts: OrderCalls,
): SagaStep<unknown> {
  const { orderId, customerId, couponCode } = input;
  const { lines, discount, total } = quote;
  return {
    name: STEPS.order,
    action: () =>
      acts.createOrder.executeWithOptions(
        { summary: `order.CreateOrder: order ${orderId} (${total}) as PENDING` },
        [{ branchId: STEPS.order, orderId, customerId, lines, discount, couponCode, txMode: mode }],
      ),
    compensate: cancelOrder(input, acts),
  };
}

/** The compensation of step "order": CancelOrder. */
export function cancelOrder(input: PlaceOrderInput, acts: OrderCalls): (reason: string) => Promise<unknown> {
  const { orderId } = input;
  return (reason) =>
    acts.cancelOrder.executeWithOptions(
      { summary: `order.CancelOrder: cancel order ${orderId} (${reason})` },
      [{ branchId: STEPS.order, orderId, reason }],
    );
}

/** The workflow result of a finished saga body. */
export function orderResult(orderId: string, outcome: SagaOutcome<OrderQuote>): PlaceOrderResult {
  return outcome.ok
    ? { status: 'COMPLETED', orderId, total: outcome.value.total }
    : { status: 'COMPENSATED', orderId, reason: outcome.reason, failedStep: outcome.failedStep };
}

/** The settle calls of a flow by step and op, given the abort reason (a continued run rebuilds its calls from it). */
export type SettleCalls = Record<string, Partial<Record<BarrierOp, (reason: string) => Promise<unknown>>>>;

/**
 * Runs a flow and carries its settle phase across runs: when the settle loops stop for a large history
 * (SettleDeferred), the workflow continues-as-new with the same input plus what is left (`resume`); the new run
 * (`resume` set) only settles that and ends with the result the first run would have had. The memo and the search
 * attributes (TxStatus …) go along explicitly.
 */
export async function settleAcrossRuns(
  tx: OrderTransaction,
  input: PlaceOrderInput,
  calls: SettleCalls,
  flow: () => Promise<PlaceOrderResult>,
): Promise<PlaceOrderResult> {
  try {
    return input.resume ? await resumeSettle(tx, input, input.resume, calls) : await flow();
  } catch (err) {
    if (!(err instanceof SettleDeferred)) throw err;
    const { failure, plan } = err;
    const resume: SettleResume<TxState> = {
      phase: !failure ? 'confirm' : plan[0]?.some((c) => c.op === 'cancel') ? 'cancel' : 'compensate',
      plan,
      failedStep: failure?.failedStep,
      reason: failure?.reason,
      state: tx.view(),
      continuedRuns: (input.resume?.continuedRuns ?? 0) + 1,
    };
    const info = workflowInfo();
    const next = makeContinueAsNewFunc<(next: PlaceOrderInput) => Promise<PlaceOrderResult>>({
      memo: info.memo,
      typedSearchAttributes: info.typedSearchAttributes,
    });
    return next({ ...input, resume });
  }
}

/** A continued run: the pending settle calls, then the result of the whole transaction. */
async function resumeSettle(
  tx: OrderTransaction,
  input: PlaceOrderInput,
  resume: SettleResume<TxState>,
  calls: SettleCalls,
): Promise<PlaceOrderResult> {
  const { orderId } = input;
  const failure =
    resume.failedStep !== undefined ? new TxAborted(resume.failedStep, resume.reason ?? '') : undefined;
  const reason = failure ? `${failure.failedStep}: ${failure.reason}` : '';
  const callOf = (step: string, op: BarrierOp) => {
    const call = calls[step]?.[op];
    if (!call) throw new Error(`no ${op} call for step "${step}" to resume`); // a bug: the task retries
    return () => call(reason);
  };
  await runSettlePlan(tx, resume.plan, callOf, failure);
  if (failure) {
    tx.finish('COMPENSATED', failure);
    return { status: 'COMPENSATED', orderId, reason: failure.reason, failedStep: failure.failedStep };
  }
  tx.finish('COMPLETED');
  return { status: 'COMPLETED', orderId, total: resume.state.quote?.total ?? 0 };
}
