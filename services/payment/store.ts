/** SQL of the payment service (dtx_payment): wallets and the payment record of each (tx, branch). */
import type { Knex } from 'knex';
import type { Wallet__Output } from '../../proto/gen/dtx/v1/Wallet';
import type { BranchKey } from '../barrier';
import { noteAggregateVersion } from '../lib/events';
import { toNumber } from '../lib/values';

export type PaymentKind = 'CHARGE' | 'FREEZE' | 'CREDIT' | 'AUTHORIZE';
export type PaymentState =
  | 'CHARGED'
  | 'REFUNDED'
  | 'FROZEN'
  | 'CONFIRMED'
  | 'CANCELLED'
  | 'CREDITED'
  // async (AUTHORIZE): held until the provider reports
  | 'PENDING'
  | 'SUCCEEDED'
  | 'DECLINED';
/** What the provider reported for an async payment. */
export type ProviderVerdict = 'SUCCEEDED' | 'DECLINED';

interface WalletRow {
  customer_id: string;
  balance: string;
  frozen: string;
}

export interface PaymentRecord {
  customerId: string;
  orderId: string;
  kind: PaymentKind;
  amount: number;
  state: PaymentState;
  /** Async payments: the provider's report, once it came. */
  providerResult?: ProviderVerdict;
}

/** A changed wallet row: its version (bumped in the same statement) is noted for the event of the change. */
function changed(trx: Knex.Transaction, row: WalletRow & { version: string }): Wallet__Output {
  noteAggregateVersion(trx, 'payment', row.customer_id, row.version);
  return toWallet(row);
}

const toWallet = (row: WalletRow): Wallet__Output => ({
  customerId: row.customer_id,
  balance: toNumber(row.balance),
  frozen: toNumber(row.frozen),
});

export async function findWallet(db: Knex, customerId: string): Promise<Wallet__Output | undefined> {
  const row = await db<WalletRow>('wallets')
    .where({ customer_id: customerId })
    .first('customer_id', 'balance', 'frozen');
  return row ? toWallet(row) : undefined;
}

/**
 * Adds `delta` to balance and `frozenDelta` to frozen in one conditional update that refuses to take either below
 * zero (the row lock and the re-checked WHERE serialize concurrent payers). undefined = refused or no wallet.
 */
export async function adjustWallet(
  trx: Knex.Transaction,
  customerId: string,
  delta: number,
  frozenDelta: number,
): Promise<Wallet__Output | undefined> {
  const result = await trx.raw<{ rows: (WalletRow & { version: string })[] }>(
    `update wallets set balance = balance + ?, frozen = frozen + ?, version = version + 1, updated_at = now()
      where customer_id = ? and balance + ? >= 0 and frozen + ? >= 0
      returning customer_id, balance, frozen, version`,
    [delta, frozenDelta, customerId, delta, frozenDelta],
  );
  return result.rows[0] ? changed(trx, result.rows[0]) : undefined;
}

/** Credits a wallet, creating it on first credit; undefined when the balance would pass Number.MAX_SAFE_INTEGER. */
export async function creditWallet(
  trx: Knex.Transaction,
  customerId: string,
  amount: number,
): Promise<Wallet__Output | undefined> {
  const result = await trx.raw<{ rows: (WalletRow & { version: string })[] }>(
    `insert into wallets (customer_id, balance) values (?, ?)
     on conflict (customer_id) do update
       set balance = wallets.balance + excluded.balance, version = wallets.version + 1, updated_at = now()
       where wallets.balance + excluded.balance <= 9007199254740991
     returning customer_id, balance, frozen, version`,
    [customerId, amount],
  );
  return result.rows[0] ? changed(trx, result.rows[0]) : undefined;
}

export async function insertPayment(
  trx: Knex.Transaction,
  branch: BranchKey,
  payment: PaymentRecord,
): Promise<void> {
  await trx('payments').insert({
    tx_id: branch.txId,
    branch_id: branch.branchId,
    customer_id: payment.customerId,
    order_id: payment.orderId,
    kind: payment.kind,
    amount: payment.amount,
    state: payment.state,
  });
}

export async function findPayment(
  db: Knex,
  branch: BranchKey,
  lock = false,
): Promise<PaymentRecord | undefined> {
  const query = db('payments').where({ tx_id: branch.txId, branch_id: branch.branchId }).first<
    | {
        customer_id: string;
        order_id: string;
        kind: PaymentKind;
        amount: string;
        state: PaymentState;
        provider_result: ProviderVerdict | null;
      }
    | undefined
  >('customer_id', 'order_id', 'kind', 'amount', 'state', 'provider_result');
  const row = await (lock ? query.forUpdate() : query);
  return row
    ? {
        customerId: row.customer_id,
        orderId: row.order_id,
        kind: row.kind,
        amount: toNumber(row.amount),
        state: row.state,
        ...(row.provider_result ? { providerResult: row.provider_result } : {}),
      }
    : undefined;
}

export async function setPaymentState(
  trx: Knex.Transaction,
  branch: BranchKey,
  state: PaymentState,
  reason: string,
): Promise<void> {
  await trx('payments')
    .where({ tx_id: branch.txId, branch_id: branch.branchId })
    .update({ state, reason, updated_at: trx.fn.now() });
}

/** Records the provider's report of an async payment and the state it leads to. */
export async function setProviderResult(
  trx: Knex.Transaction,
  branch: BranchKey,
  result: ProviderVerdict,
  state: PaymentState,
  reason: string,
): Promise<void> {
  await trx('payments')
    .where({ tx_id: branch.txId, branch_id: branch.branchId })
    .update({ provider_result: result, state, reason, settled_at: trx.fn.now(), updated_at: trx.fn.now() });
}
