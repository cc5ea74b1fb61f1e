/**
 * The branch barrier (docs/design.md, "Barrier"), inside the caller's local transaction: every decision is an
 * `INSERT ... ON CONFLICT DO NOTHING` whose effect is checked, never a select-then-insert.
 *
 * - action / try: insert the row; if it was already there, the call is a duplicate (row reason '') or hanging
 *   (row inserted by its compensate/cancel: reason = that op) -> ALREADY_CANCELLED, nothing changes.
 * - compensate / cancel: insert the origin (action/try) row with reason = this op; if that took effect the origin
 *   never ran -> EMPTY (record this op too, change nothing). Otherwise lock the origin row, insert this op's row;
 *   already there -> DUPLICATE. A cancel after a confirm is refused (ALREADY_CONFIRMED).
 * - confirm: lock the try row first. No try row -> refused TRY_NOT_APPLIED (choice: a confirm must follow an applied
 *   try; succeeding silently would hide a workflow bug). Try row written by a cancel, or a cancel row -> refused
 *   ALREADY_CANCELLED. Otherwise insert the confirm row; already there -> DUPLICATE.
 * Locking the origin row in confirm and cancel serializes them, so they can never both apply.
 * A refused or failed call throws, which rolls back its barrier rows with the transaction.
 */
import type { Knex } from 'knex';
import type { BarrierOp, BarrierOutcome } from '../workflows/names';
import { BusinessRejectionError } from './rpc/errors';

export type { BarrierOp, BarrierOutcome } from '../workflows/names';

export interface BranchKey {
  txId: string;
  branchId: string;
}

/** The forward op whose effect `op` undoes or completes. */
const ORIGIN: Partial<Record<BarrierOp, BarrierOp>> = { compensate: 'action', cancel: 'try', confirm: 'try' };

async function insertRow(
  trx: Knex.Transaction,
  branch: BranchKey,
  op: BarrierOp,
  reason: string,
): Promise<boolean> {
  const result = await trx.raw<{ rowCount: number }>(
    `insert into tx_barrier (tx_id, branch_id, op, reason) values (?, ?, ?, ?) on conflict do nothing`,
    [branch.txId, branch.branchId, op, reason],
  );
  return result.rowCount === 1;
}

/** The reason of an existing barrier row (locked FOR UPDATE when asked), or undefined when there is none. */
async function rowReason(
  trx: Knex.Transaction,
  branch: BranchKey,
  op: BarrierOp,
  lock: boolean,
): Promise<string | undefined> {
  const result = await trx.raw<{ rows: { reason: string }[] }>(
    `select reason from tx_barrier where tx_id = ? and branch_id = ? and op = ?${lock ? ' for update' : ''}`,
    [branch.txId, branch.branchId, op],
  );
  return result.rows[0]?.reason;
}

function hanging(branch: BranchKey, op: BarrierOp, by: string): BusinessRejectionError {
  return new BusinessRejectionError(
    'ALREADY_CANCELLED',
    `${op} of ${branch.txId}/${branch.branchId} refused: its ${by} already ran`,
  );
}

/**
 * Runs the barrier for `op` in `trx`; returns APPLIED when the caller must now make the business change,
 * DUPLICATE or EMPTY when it must change nothing. Throws BusinessRejectionError for hanging/refused calls.
 */
export async function enterBarrier(
  trx: Knex.Transaction,
  branch: BranchKey,
  op: BarrierOp,
  reason = '',
): Promise<BarrierOutcome> {
  if (op === 'action' || op === 'try') {
    if (await insertRow(trx, branch, op, '')) return 'APPLIED';
    const existing = await rowReason(trx, branch, op, false);
    if (existing === 'compensate' || existing === 'cancel') throw hanging(branch, op, existing);
    return 'DUPLICATE';
  }
  const origin = ORIGIN[op] as BarrierOp;
  if (op === 'confirm') {
    const tried = await rowReason(trx, branch, origin, true);
    if (tried === undefined) {
      throw new BusinessRejectionError(
        'TRY_NOT_APPLIED',
        `confirm of ${branch.txId}/${branch.branchId} refused: no try applied`,
      );
    }
    if (tried === 'cancel' || (await rowReason(trx, branch, 'cancel', false)) !== undefined)
      throw hanging(branch, op, 'cancel');
    return (await insertRow(trx, branch, op, reason)) ? 'APPLIED' : 'DUPLICATE';
  }
  // compensate / cancel
  if (await insertRow(trx, branch, origin, op)) {
    await insertRow(trx, branch, op, reason);
    return 'EMPTY';
  }
  await rowReason(trx, branch, origin, true);
  if (!(await insertRow(trx, branch, op, reason))) return 'DUPLICATE';
  if (op === 'cancel' && (await rowReason(trx, branch, 'confirm', false)) !== undefined) {
    throw new BusinessRejectionError(
      'ALREADY_CONFIRMED',
      `cancel of ${branch.txId}/${branch.branchId} refused: already confirmed`,
    );
  }
  return 'APPLIED';
}

/**
 * One barrier-guarded local transaction: `apply` runs only for APPLIED, `replay` for DUPLICATE/EMPTY (to read back
 * the result of the first call without changing anything). Both get the same transaction.
 */
export async function withBarrier<T>(
  db: Knex,
  branch: BranchKey,
  op: BarrierOp,
  reason: string,
  apply: (trx: Knex.Transaction) => Promise<T>,
  replay: (trx: Knex.Transaction, outcome: 'DUPLICATE' | 'EMPTY') => Promise<T>,
): Promise<{ outcome: BarrierOutcome; value: T }> {
  return db.transaction(async (trx) => {
    const outcome = await enterBarrier(trx, branch, op, reason);
    const value = outcome === 'APPLIED' ? await apply(trx) : await replay(trx, outcome);
    return { outcome, value };
  });
}

/** Deletes barrier rows older than `retentionDays`, in batches; returns how many went. */
export async function cleanupBarrier(db: Knex, retentionDays: number, batchSize = 5000): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await db.raw<{ rowCount: number }>(
      `delete from tx_barrier where ctid in (
         select ctid from tx_barrier where created_at < now() - make_interval(days => ?) limit ?)`,
      [retentionDays, batchSize],
    );
    total += result.rowCount;
    if (result.rowCount < batchSize) return total;
  }
}
