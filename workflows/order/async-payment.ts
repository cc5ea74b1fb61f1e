/**
 * The async payment of a saga order (issue 14): payment.Authorize holds the amount and answers at once; the
 * provider's result arrives later as the signal `paymentResult` (sent by the payment bridge from PaymentSucceeded /
 * PaymentFailed). The flow waits for it with a timeout: success goes on to the pivot, a decline or the timeout aborts
 * the saga, whose compensation of the payment step (CancelAuthorization) releases the hold or refunds a success.
 */
import { condition, setHandler } from '@temporalio/workflow';
import {
  DEFAULT_PAYMENT_TIMEOUT_MS,
  paymentResultSignal,
  type AsyncPaymentView,
  type PaymentResultSignal,
  type PlaceOrderInput,
} from '../contract';
import { TxAborted } from '../lib';
import { PAYMENT_ABORT_REASONS, STEPS, WAITING_FOR_PAYMENT } from '../names';
import type { OrderTransaction } from './flow';

export const isAsyncPayment = (input: PlaceOrderInput): boolean => input.payment === 'async';

/** The first result signalled for the payment branch; later ones (duplicates, a late second result) are ignored. */
export interface PaymentResultInbox {
  readonly result: PaymentResultSignal | undefined;
}

/**
 * Registers the signal handler (any order workflow: a signal to a sync order is kept and ignored). Signals that came
 * before the handler was set are delivered to it by the SDK, so a fast provider cannot be missed.
 */
export function listenForPaymentResult(): PaymentResultInbox {
  const inbox: { result: PaymentResultSignal | undefined } = { result: undefined };
  setHandler(paymentResultSignal, (signal) => {
    if (inbox.result === undefined && signal.branchId === STEPS.payment) inbox.result = signal;
  });
  return inbox;
}

/**
 * Waits for the provider's result (status WAITING_FOR_PAYMENT meanwhile). Returns on success; throws TxAborted
 * PAYMENT_DECLINED or PAYMENT_TIMEOUT (step payment), which makes the saga compensate. A cancel request during the
 * wait aborts as CANCELLED, like any step.
 */
export async function awaitPaymentResult(
  tx: OrderTransaction,
  input: PlaceOrderInput,
  inbox: PaymentResultInbox,
): Promise<void> {
  const timeoutMs = input.paymentTimeoutMs ?? DEFAULT_PAYMENT_TIMEOUT_MS;
  const view: AsyncPaymentView = {
    mode: 'async',
    state: WAITING_FOR_PAYMENT,
    timeoutMs,
    waitingSince: new Date().toISOString(),
  };
  tx.extra.payment = view;
  const arrived = await tx.waitAs(WAITING_FOR_PAYMENT, () =>
    condition(() => inbox.result !== undefined, timeoutMs),
  );
  view.settledAt = new Date().toISOString();
  const result = inbox.result;
  if (arrived && result?.result === 'SUCCEEDED') {
    view.state = 'SUCCEEDED';
    return;
  }
  const [reason, message] =
    arrived && result
      ? [
          PAYMENT_ABORT_REASONS.declined,
          `the provider declined the payment${result.reason ? `: ${result.reason}` : ''}`,
        ]
      : [PAYMENT_ABORT_REASONS.timeout, `no payment result within ${timeoutMs} ms`];
  view.state = reason === PAYMENT_ABORT_REASONS.declined ? 'DECLINED' : 'TIMED_OUT';
  view.reason = message;
  const step = tx.step(STEPS.payment);
  step.state = 'failed';
  step.lastError = {
    op: 'action',
    attempt: step.attempts.action ?? 1,
    type: reason,
    message,
    nonRetryable: true,
    at: new Date().toISOString(),
  };
  throw new TxAborted(STEPS.payment, reason, message);
}
