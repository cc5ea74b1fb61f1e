/**
 * The public contract of the order workflows: input, result, the `txState` query and its types.
 * Imported by workflows, the API, the CLI and tests (defineQuery is pure, safe outside a workflow).
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { RetryTuning, SettleResume, TxCoreState } from './lib/types';
import {
  QUERY_TX_STATE,
  SIGNAL_PAYMENT_RESULT,
  UPDATE_DECIDED,
  type COMMITTING,
  type PaymentMode,
  type TxMode,
  type TxStatus,
} from './names';

export type { RetryTuning, SettlePlan, SettleResume, StepError, StepView, TxCoreState } from './lib/types';

/** One line of an order as the client sends it: no price (prices come from the inventory catalogue). */
export interface OrderItem {
  sku: string;
  quantity: number;
}

/** The one input of both order workflows (an object, not positional args, so fields can be added compatibly). */
export interface PlaceOrderInput {
  orderId: string;
  customerId: string;
  items: OrderItem[];
  couponCode?: string;
  /** TCC only: how long all tries together may take before every participant is cancelled. */
  tryTimeoutMs?: number;
  /** Overrides of the retry tuning (tests use short backoffs). */
  retry?: Partial<RetryTuning>;
  /** Saga only: "async" authorizes and waits for the provider's result (signal paymentResult); default "sync". */
  payment?: PaymentMode;
  /** Async payment: how long to wait for the provider's result before cancelling (default DEFAULT_PAYMENT_TIMEOUT_MS). */
  paymentTimeoutMs?: number;
  /**
   * Set by the workflow itself when it continues-as-new in the middle of a settle phase (never by a starter): the
   * new run only finishes that phase.
   */
  resume?: SettleResume<TxState>;
}

export type PlaceOrderResult =
  | { status: 'COMPLETED'; orderId: string; total: number }
  | { status: 'COMPENSATED'; orderId: string; reason: string; failedStep: string };

/** Priced order, from the read-only quote step. Money in minor units. */
export interface PricedLine {
  sku: string;
  name: string;
  quantity: number;
  unitPrice: number;
  lineTotal: number;
}
export interface OrderQuote {
  lines: PricedLine[];
  subtotal: number;
  discount: number;
  total: number;
}

/** What the `txState` query returns. */
export interface TxState extends TxCoreState {
  mode: TxMode;
  orderId: string;
  quote?: OrderQuote;
  /** TCC only: the try deadline in effect. */
  tryTimeoutMs?: number;
  /** Async payment only: where its result stands. */
  payment?: AsyncPaymentView;
}

/** The provider's result of an async payment, as the payment bridge signals it (from PaymentSucceeded/PaymentFailed). */
export interface PaymentResultSignal {
  result: 'SUCCEEDED' | 'DECLINED';
  /** The payment's branch (the step "payment"); a signal for another branch is ignored. */
  branchId: string;
  /** The outbox event id it came from. */
  eventId: string;
  reason?: string;
}

export const paymentResultSignal = defineSignal<[PaymentResultSignal]>(SIGNAL_PAYMENT_RESULT);

/** txState.payment of an async payment. */
export interface AsyncPaymentView {
  mode: 'async';
  state: 'AUTHORIZING' | 'WAITING_FOR_PAYMENT' | 'SUCCEEDED' | 'DECLINED' | 'TIMED_OUT';
  timeoutMs: number;
  /** Workflow time the wait began / ended, ISO 8601. */
  waitingSince?: string;
  settledAt?: string;
  reason?: string;
}

export const txStateQuery = defineQuery<TxState>(QUERY_TX_STATE);

/**
 * What the `decided` update returns. `status`: COMMITTING (TCC: every try succeeded, the confirms run on), COMPENSATING
 * (the undo began), or the final status when the run already ended (a saga's pivot is its last step).
 */
export interface TxDecision {
  status: TxStatus | typeof COMMITTING;
  mode: TxMode;
  orderId: string;
  failedStep?: string;
  reason?: string;
  /** The order's total once quoted (minor units). */
  total?: number;
  /** The run that decided, and its request nonce/hash from the memo (the API tells a repeat apart with them). */
  runId: string;
  requestNonce?: string;
  requestHash?: string;
  /** Workflow time of the decision, ISO 8601. */
  decidedAt: string;
}

export const decidedUpdate = defineUpdate<TxDecision>(UPDATE_DECIDED);

export const DEFAULT_RETRY_TUNING: RetryTuning = {
  initialIntervalMs: 1_000,
  backoffCoefficient: 2,
  maximumIntervalMs: 60_000,
  forwardMaximumAttempts: 5,
  forwardMaximumElapsedMs: 60_000,
  continueAsNewAfterEvents: 10_000,
};

/** TCC try deadline when the caller gives none. */
export const DEFAULT_TRY_TIMEOUT_MS = 10_000;

/** How long an async payment's result is awaited when the caller gives no paymentTimeoutMs. */
export const DEFAULT_PAYMENT_TIMEOUT_MS = 60_000;
