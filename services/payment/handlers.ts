/** The PaymentService RPCs: saga Charge/Refund, TCC TryFreeze/Confirm/Cancel, GetWallet, admin Credit. */
import type { Knex } from 'knex';
import type { PaymentResult } from '../../proto/gen/dtx/v1/PaymentResult';
import type { PaymentServiceHandlers } from '../../proto/gen/dtx/v1/PaymentService';
import type { Wallet__Output } from '../../proto/gen/dtx/v1/Wallet';
import type { TxMode } from '../../workflows/names';
import { withBarrier, type BranchKey } from '../barrier';
import { FORWARD_OP, recordOf, settleRpcs, type SettleOp } from '../lib/branch';
import { requestFingerprint } from '../lib/fingerprint';
import { emitEvent } from '../lib/events';
import { BusinessRejectionError, InvalidArgumentError, NotFoundError } from '../rpc/errors';
import type { CallContext, Handlers } from '../rpc/server';
import {
  adjustWallet,
  creditWallet,
  findPayment,
  findWallet,
  insertPayment,
  setPaymentState,
  type PaymentKind,
  type PaymentState,
} from './store';
import { validateCredit, validateGetWallet, validatePayment, type ValidPayment } from './validate';

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

/** Charge (saga) and TryFreeze (tcc): the (balance, frozen) deltas, the payment's kind and state, the event. */
const PAY: Record<TxMode, { deltas: Deltas; kind: PaymentKind; state: PaymentState; event: string }> = {
  saga: { deltas: (a) => [-a, 0], kind: 'CHARGE', state: 'CHARGED', event: 'PaymentCharged' },
  tcc: { deltas: (a) => [-a, a], kind: 'FREEZE', state: 'FROZEN', event: 'PaymentFrozen' },
};

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
  async function pay(input: ValidPayment, ctx: CallContext, mode: TxMode): Promise<PaymentResult> {
    const { deltas, kind, state, event } = PAY[mode];
    const { outcome, value } = await withBarrier(
      db,
      input.branch,
      FORWARD_OP[mode],
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

  return {
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
