/** The PaymentService RPCs: saga Charge/Refund, TCC TryFreeze/Confirm/Cancel, GetWallet, admin Credit. */
import type { Knex } from 'knex';
import type { PaymentResult } from '../../proto/gen/dtx/v1/PaymentResult';
import type { PaymentServiceHandlers } from '../../proto/gen/dtx/v1/PaymentService';
import type { Wallet__Output } from '../../proto/gen/dtx/v1/Wallet';
import { withBarrier, type BranchKey } from '../barrier';
import { branchCall } from '../lib/branch';
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

export function paymentHandlers(db: Knex): Handlers<PaymentServiceHandlers> {
  async function requireWallet(trx: Knex, customerId: string): Promise<Wallet__Output> {
    const wallet = await findWallet(trx, customerId);
    if (!wallet) throw new NotFoundError('wallet', customerId);
    return wallet;
  }

  /** Charge (saga: balance -= amount) or TryFreeze (tcc: balance -> frozen). */
  async function pay(input: ValidPayment, ctx: CallContext, mode: 'saga' | 'tcc'): Promise<PaymentResult> {
    const { outcome, value } = await withBarrier(
      db,
      input.branch,
      mode === 'saga' ? 'action' : 'try',
      '',
      async (trx) => {
        const wallet = await adjustWallet(
          trx,
          input.customerId,
          -input.amount,
          mode === 'saga' ? 0 : input.amount,
        );
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
          kind: mode === 'saga' ? 'CHARGE' : 'FREEZE',
          amount: input.amount,
          state: mode === 'saga' ? 'CHARGED' : 'FROZEN',
        });
        await walletEvent(
          trx,
          ctx,
          mode === 'saga' ? 'PaymentCharged' : 'PaymentFrozen',
          input.branch,
          input.orderId,
          input.amount,
          wallet,
        );
        return wallet;
      },
      (trx) => requireWallet(trx, input.customerId),
    );
    return { outcome, wallet: value };
  }

  /** Settles what a branch's payment holds: expected state -> next, moving money by (balance, frozen) deltas. */
  async function settle(
    trx: Knex.Transaction,
    ctx: CallContext,
    branch: BranchKey,
    expected: PaymentState,
    next: PaymentState,
    deltas: (amount: number) => [number, number],
    eventType: string,
    reason: string,
  ): Promise<void> {
    const payment = await findPayment(trx, branch, true);
    if (!payment || payment.state !== expected) {
      throw new Error(
        `payment of ${branch.txId}/${branch.branchId} is ${payment?.state ?? 'missing'}, expected ${expected}`,
      );
    }
    const [balanceDelta, frozenDelta] = deltas(payment.amount);
    const wallet = await adjustWallet(trx, payment.customerId, balanceDelta, frozenDelta);
    if (!wallet)
      throw new Error(`wallet ${payment.customerId} cannot settle ${payment.amount} (${eventType})`);
    await setPaymentState(trx, branch, next, reason);
    await walletEvent(trx, ctx, eventType, branch, payment.orderId, payment.amount, wallet, reason);
  }

  return {
    Charge: (request, ctx) => pay(validatePayment(request), ctx, 'saga'),
    TryFreeze: (request, ctx) => pay(validatePayment(request), ctx, 'tcc'),
    Refund: (request, ctx) =>
      branchCall(db, request, 'compensate', (trx, branch, reason) =>
        settle(trx, ctx, branch, 'CHARGED', 'REFUNDED', (a) => [a, 0], 'PaymentRefunded', reason),
      ),
    Confirm: (request, ctx) =>
      branchCall(db, request, 'confirm', (trx, branch, reason) =>
        settle(trx, ctx, branch, 'FROZEN', 'CONFIRMED', (a) => [0, -a], 'PaymentConfirmed', reason),
      ),
    Cancel: (request, ctx) =>
      branchCall(db, request, 'cancel', (trx, branch, reason) =>
        settle(trx, ctx, branch, 'FROZEN', 'CANCELLED', (a) => [a, -a], 'PaymentUnfrozen', reason),
      ),
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
      );
      return { outcome, wallet: value };
    },
  };
}
