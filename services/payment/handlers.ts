/**
 * The PaymentService RPCs: saga Charge/Refund, TCC TryFreeze/Confirm/Cancel, GetWallet, admin Credit, and the async
 * mode (issue 14): Authorize / CancelAuthorization (saga action and compensation) and the provider's ReportResult.
 */
import type { Knex } from 'knex';
import type { PaymentResult } from '../../proto/gen/dtx/v1/PaymentResult';
import type { PaymentServiceHandlers } from '../../proto/gen/dtx/v1/PaymentService';
import type { Wallet__Output } from '../../proto/gen/dtx/v1/Wallet';
import type { TxMode } from '../../workflows/names';
import { withBarrier, type BranchKey } from '../barrier';
import { FORWARD_OP, recordOf, settleRpcs, type SettleOp } from '../lib/branch';
import { requestFingerprint } from '../lib/fingerprint';
import { requireBranch, text } from '../lib/validate';
import { emitEvent } from '../lib/events';
import type { ProviderReportResult } from '../../proto/gen/dtx/v1/ProviderReportResult';
import { BusinessRejectionError, InvalidArgumentError, NotFoundError } from '../rpc/errors';
import type { CallContext, Handlers } from '../rpc/server';
import {
  adjustWallet,
  creditWallet,
  findPayment,
  findWallet,
  insertPayment,
  setPaymentState,
  setProviderResult,
  type PaymentRecord,
  type PaymentKind,
  type PaymentState,
} from './store';
import {
  validateCredit,
  validateGetWallet,
  validatePayment,
  validateProviderReport,
  type ValidPayment,
} from './validate';

function walletEvent(
  trx: Knex.Transaction,
  ctx: CallContext,
  eventType: string,
  branch: BranchKey,
  orderId: string,
  amount: number,
  wallet: Wallet__Output,
  reason?: string,
): Promise<string> {
  return emitEvent(trx, ctx, 'payment', wallet.customerId, eventType, {
    ...(orderId ? { orderId } : {}),
    customerId: wallet.customerId,
    txId: branch.txId,
    branchId: branch.branchId,
    amount,
    balance: wallet.balance,
    frozen: wallet.frozen,
    ...(reason !== undefined ? { reason } : {}),
  });
}

type Deltas = (amount: number) => [balance: number, frozen: number];

type PayMode = TxMode | 'async';

/**
 * Charge (saga), TryFreeze (tcc) and Authorize (async: held like a card authorization until the provider reports):
 * the (balance, frozen) deltas, the payment's kind and state, the event.
 */
const PAY: Record<PayMode, { deltas: Deltas; kind: PaymentKind; state: PaymentState; event: string }> = {
  saga: { deltas: (a) => [-a, 0], kind: 'CHARGE', state: 'CHARGED', event: 'PaymentCharged' },
  tcc: { deltas: (a) => [-a, a], kind: 'FREEZE', state: 'FROZEN', event: 'PaymentFrozen' },
  async: { deltas: (a) => [-a, a], kind: 'AUTHORIZE', state: 'PENDING', event: 'PaymentPending' },
};

/** The async payment events the bridge turns into workflow signals (issue 14). */
export const PROVIDER_EVENTS = { succeeded: 'PaymentSucceeded', failed: 'PaymentFailed' } as const;
/** The refund reason of a provider success that came after its authorization was cancelled. */
export const LATE_SUCCESS_REFUND = 'LATE_SUCCESS_AFTER_CANCEL';

/** Refund, Confirm, Cancel: the payment's state before and after, the (balance, frozen) deltas, the event. */
const SETTLE: Record<
  SettleOp,
  { expected: PaymentState; next: PaymentState; deltas: Deltas; event: string }
> = {
  compensate: { expected: 'CHARGED', next: 'REFUNDED', deltas: (a) => [a, 0], event: 'PaymentRefunded' },
  confirm: { expected: 'FROZEN', next: 'CONFIRMED', deltas: (a) => [0, -a], event: 'PaymentConfirmed' },
  cancel: { expected: 'FROZEN', next: 'CANCELLED', deltas: (a) => [a, -a], event: 'PaymentUnfrozen' },
};

export function paymentHandlers(db: Knex): Handlers<PaymentServiceHandlers> {
  async function requireWallet(trx: Knex, customerId: string): Promise<Wallet__Output> {
    const wallet = await findWallet(trx, customerId);
    if (!wallet) throw new NotFoundError('wallet', customerId);
    return wallet;
  }

  /** Takes the amount from the balance (spent, or frozen for the mode) under the barrier. */
  async function pay(input: ValidPayment, ctx: CallContext, mode: PayMode): Promise<PaymentResult> {
    const { deltas, kind, state, event } = PAY[mode];
    const { outcome, value } = await withBarrier(
      db,
      input.branch,
      mode === 'async' ? 'action' : FORWARD_OP[mode],
      '',
      async (trx) => {
        const wallet = await adjustWallet(trx, input.customerId, ...deltas(input.amount));
        if (!wallet) {
          const existing = await requireWallet(trx, input.customerId);
          throw new BusinessRejectionError(
            'INSUFFICIENT_FUNDS',
            `wallet ${input.customerId} has ${existing.balance}, needs ${input.amount}`,
          );
        }
        await insertPayment(trx, input.branch, {
          customerId: input.customerId,
          orderId: input.orderId,
          kind,
          amount: input.amount,
          state,
        });
        await walletEvent(trx, ctx, event, input.branch, input.orderId, input.amount, wallet);
        return wallet;
      },
      (trx) => requireWallet(trx, input.customerId),
      { fingerprint: requestFingerprint(input) },
    );
    return { outcome, wallet: value };
  }

  /** Settles what a branch's payment holds: expected state -> next, moving money by (balance, frozen) deltas. */
  const settle = settleRpcs(
    db,
    SETTLE,
    async ({ trx, ctx, branch, reason }, { expected, next, deltas, event }) => {
      const payment = await findPayment(trx, branch, true);
      if (!payment || payment.state !== expected) {
        throw new Error(
          `payment of ${branch.txId}/${branch.branchId} is ${payment?.state ?? 'missing'}, expected ${expected}`,
        );
      }
      const [balanceDelta, frozenDelta] = deltas(payment.amount);
      const wallet = await adjustWallet(trx, payment.customerId, balanceDelta, frozenDelta);
      if (!wallet) throw new Error(`wallet ${payment.customerId} cannot settle ${payment.amount} (${event})`);
      await setPaymentState(trx, branch, next, reason);
      await walletEvent(trx, ctx, event, branch, payment.orderId, payment.amount, wallet, reason);
    },
    async (trx, branch) =>
      recordOf((await findPayment(trx, branch))?.state, ['REFUNDED', 'CANCELLED'], ['CONFIRMED']),
  );

  /** Moves an async payment's money by (balance, frozen) deltas and writes `event` for it. */
  async function move(
    trx: Knex.Transaction,
    ctx: CallContext,
    branch: BranchKey,
    payment: PaymentRecord,
    deltas: [balance: number, frozen: number],
    event: string,
    reason?: string,
  ): Promise<void> {
    const wallet = await adjustWallet(trx, payment.customerId, ...deltas);
    if (!wallet) throw new Error(`wallet ${payment.customerId} cannot take ${event} of ${payment.amount}`);
    await walletEvent(trx, ctx, event, branch, payment.orderId, payment.amount, wallet, reason);
  }

  /**
   * The provider's report, recorded once under the payment row's lock (no barrier row: the report is not a branch
   * call; provider_result is the record). PENDING: SUCCEEDED debits the hold, DECLINED releases it. CANCELLED (the
   * workflow gave up first): a success is taken and refunded in the same transaction — never kept for a compensated
   * order; a decline changes nothing. Reported before: the same result is DUPLICATE, another one refused.
   */
  async function reportResult(
    request: Parameters<PaymentServiceHandlers['ReportResult']>[0]['request'],
    ctx: CallContext,
  ): Promise<ProviderReportResult> {
    const { branch, result, reason } = validateProviderReport(request);
    return db.transaction(async (trx) => {
      const payment = await findPayment(trx, branch, true);
      if (!payment || payment.kind !== 'AUTHORIZE')
        throw new NotFoundError('payment', `${branch.txId}/${branch.branchId}`);
      if (payment.providerResult !== undefined) {
        if (payment.providerResult !== result) {
          throw new BusinessRejectionError(
            'IDEMPOTENCY_CONFLICT',
            `payment ${branch.txId}/${branch.branchId} was reported ${payment.providerResult}, not ${result}`,
          );
        }
        return { outcome: 'DUPLICATE', state: payment.state };
      }
      const a = payment.amount;
      let state: PaymentState;
      if (payment.state === 'PENDING') {
        state = result === 'SUCCEEDED' ? 'SUCCEEDED' : 'DECLINED';
        if (result === 'SUCCEEDED') await move(trx, ctx, branch, payment, [0, -a], PROVIDER_EVENTS.succeeded);
        else await move(trx, ctx, branch, payment, [a, -a], PROVIDER_EVENTS.failed, reason);
      } else if (payment.state === 'CANCELLED' && result === 'SUCCEEDED') {
        // the provider took the money after all: record it, and give it back at once
        state = 'REFUNDED';
        await move(trx, ctx, branch, payment, [-a, 0], PROVIDER_EVENTS.succeeded);
        await move(trx, ctx, branch, payment, [a, 0], 'PaymentRefunded', LATE_SUCCESS_REFUND);
      } else {
        state = payment.state; // a decline of a cancelled authorization: nothing was held any more
      }
      await setProviderResult(
        trx,
        branch,
        result,
        state,
        reason || (state === 'REFUNDED' ? LATE_SUCCESS_REFUND : ''),
      );
      return { outcome: 'APPLIED', state };
    });
  }

  /**
   * The compensation of Authorize (timeout, decline, or a later step failed): PENDING → CANCELLED releases the hold,
   * SUCCEEDED → REFUNDED gives the money back, DECLINED needs nothing. Barrier op compensate: a repeat is DUPLICATE,
   * one before the Authorize EMPTY (and its marker refuses a late Authorize).
   */
  async function cancelAuthorization(
    request: Parameters<PaymentServiceHandlers['CancelAuthorization']>[0]['request'],
    ctx: CallContext,
  ) {
    const branch = requireBranch(request.branch);
    const reason = text(request.reason, 'reason');
    const { outcome } = await withBarrier(
      db,
      branch,
      'compensate',
      reason,
      async (trx) => {
        const payment = await findPayment(trx, branch, true);
        if (!payment || payment.kind !== 'AUTHORIZE')
          throw new Error(`payment of ${branch.txId}/${branch.branchId} is not an authorization`);
        const a = payment.amount;
        if (payment.state === 'PENDING') {
          await move(trx, ctx, branch, payment, [a, -a], 'PaymentAuthorizationCancelled', reason);
          await setPaymentState(trx, branch, 'CANCELLED', reason);
        } else if (payment.state === 'SUCCEEDED') {
          await move(trx, ctx, branch, payment, [a, 0], 'PaymentRefunded', reason);
          await setPaymentState(trx, branch, 'REFUNDED', reason);
        }
      },
      () => Promise.resolve(),
      {
        recorded: async (trx) =>
          recordOf((await findPayment(trx, branch))?.state, ['CANCELLED', 'REFUNDED', 'DECLINED'], []),
      },
    );
    return { branch, outcome };
  }

  return {
    Authorize: (request, ctx) => pay(validatePayment(request), ctx, 'async'),
    ReportResult: reportResult,
    CancelAuthorization: cancelAuthorization,
    Charge: (request, ctx) => pay(validatePayment(request), ctx, 'saga'),
    TryFreeze: (request, ctx) => pay(validatePayment(request), ctx, 'tcc'),
    Refund: settle.compensate,
    Confirm: settle.confirm,
    Cancel: settle.cancel,
    GetWallet: async (request) => requireWallet(db, validateGetWallet(request)),
    Credit: async (request, ctx) => {
      const input = validateCredit(request);
      const { outcome, value } = await withBarrier(
        db,
        input.branch,
        'action',
        '',
        async (trx) => {
          const wallet = await creditWallet(trx, input.customerId, input.amount);
          if (!wallet)
            throw new InvalidArgumentError(
              'amount',
              'would take the balance above the largest supported amount',
            );
          await insertPayment(trx, input.branch, {
            customerId: input.customerId,
            orderId: '',
            kind: 'CREDIT',
            amount: input.amount,
            state: 'CREDITED',
          });
          await walletEvent(trx, ctx, 'WalletCredited', input.branch, '', input.amount, wallet);
          return wallet;
        },
        (trx) => requireWallet(trx, input.customerId),
        { fingerprint: requestFingerprint(input) },
      );
      return { outcome, wallet: value };
    },
  };
}
