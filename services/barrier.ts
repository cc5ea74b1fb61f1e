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
 *
 * Two guards make the rows safe to purge and a repeat safe to trust (docs/design.md, "Retention"):
 * - a forward row keeps the request's fingerprint; a repeat with another request is refused IDEMPOTENCY_CONFLICT;
 * - when the origin row of a compensate/cancel/confirm is missing, the branch's business record decides (it is
 *   never purged): an action that is on record is undone, never answered EMPTY. The cleanup keeps the markers of
 *   empty compensations, which are what refuse a late (hanging) action.
 */
import type { Knex } from 'knex';
import { deleteOlderThan } from '../common/db';
import type { BarrierOp, BarrierOutcome } from '../workflows/names';
import { remainingCallMs } from './rpc/call-budget';
import { BusinessRejectionError } from './rpc/errors';
import { recordBarrier } from './rpc/metrics';

export type { BarrierOp, BarrierOutcome } from '../workflows/names';

export interface BranchKey {
  txId: string;
  branchId: string;
}

/** What a branch's business record says happened, asked only when its barrier rows are gone. */
export type BranchRecord = 'absent' | 'open' | 'undone' | 'confirmed';

export interface BarrierGuard {
  /** Hash of a forward call's request: a repeat under the same branch must carry the same one. */
  fingerprint?: string;
  /** Reads the branch's business record (payment, reservation, coupon hold, order) in the call's transaction. */
  recorded?: (trx: Knex.Transaction) => Promise<BranchRecord>;
}

/** The forward op whose effect `op` undoes or completes. */
const ORIGIN: Partial<Record<BarrierOp, BarrierOp>> = { compensate: 'action', cancel: 'try', confirm: 'try' };

async function insertRow(
  trx: Knex.Transaction,
  branch: BranchKey,
  op: BarrierOp,
  reason: string,
  fingerprint = '',
): Promise<boolean> {
  const result = await trx.raw<{ rowCount: number }>(
    `insert into tx_barrier (tx_id, branch_id, op, reason, fingerprint) values (?, ?, ?, ?, ?) on conflict do nothing`,
    [branch.txId, branch.branchId, op, reason, fingerprint],
  );
  return result.rowCount === 1;
}

interface Row {
  reason: string;
  fingerprint: string;
}

/** An existing barrier row (locked FOR UPDATE when asked), or undefined when there is none. */
async function findRow(
  trx: Knex.Transaction,
  branch: BranchKey,
  op: BarrierOp,
  lock: boolean,
): Promise<Row | undefined> {
  const result = await trx.raw<{ rows: Row[] }>(
    `select reason, fingerprint from tx_barrier where tx_id = ? and branch_id = ? and op = ?${lock ? ' for update' : ''}`,
    [branch.txId, branch.branchId, op],
  );
  return result.rows[0];
}

const rowReason = async (trx: Knex.Transaction, branch: BranchKey, op: BarrierOp, lock: boolean) =>
  (await findRow(trx, branch, op, lock))?.reason;

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
  guard: BarrierGuard = {},
): Promise<BarrierOutcome> {
  if (op === 'action' || op === 'try') {
    if (await insertRow(trx, branch, op, '', guard.fingerprint)) return 'APPLIED';
    const existing = await findRow(trx, branch, op, false);
    if (existing?.reason === 'compensate' || existing?.reason === 'cancel')
      throw hanging(branch, op, existing.reason);
    if (guard.fingerprint && existing?.fingerprint && existing.fingerprint !== guard.fingerprint) {
      throw new BusinessRejectionError(
        'IDEMPOTENCY_CONFLICT',
        `${op} of ${branch.txId}/${branch.branchId} refused: that branch already ran with another request`,
      );
    }
    return 'DUPLICATE';
  }
  const origin = ORIGIN[op] as BarrierOp;
  const record = () => guard.recorded?.(trx) ?? Promise.resolve<BranchRecord>('absent');
  if (op === 'confirm') {
    let tried = await rowReason(trx, branch, origin, true);
    if (tried === undefined) {
      // no try row: never tried, or its rows were purged; the business record tells which
      const state = await record();
      if (state === 'absent') {
        throw new BusinessRejectionError(
          'TRY_NOT_APPLIED',
          `confirm of ${branch.txId}/${branch.branchId} refused: no try applied`,
        );
      }
      if (state === 'undone') throw hanging(branch, op, 'cancel');
      await insertRow(trx, branch, origin, '');
      if (state === 'confirmed') {
        await insertRow(trx, branch, op, reason);
        return 'DUPLICATE';
      }
      tried = '';
    }
    if (tried === 'cancel' || (await rowReason(trx, branch, 'cancel', false)) !== undefined)
      throw hanging(branch, op, 'cancel');
    return (await insertRow(trx, branch, op, reason)) ? 'APPLIED' : 'DUPLICATE';
  }
  // compensate / cancel
  let state: BranchRecord = 'open';
  if (await insertRow(trx, branch, origin, op)) {
    state = await record();
    if (state === 'absent') {
      await insertRow(trx, branch, op, reason);
      return 'EMPTY';
    }
    // the origin ran but its rows were purged: restore its row and decide as if it had been there
    await trx.raw(`update tx_barrier set reason = '' where tx_id = ? and branch_id = ? and op = ?`, [
      branch.txId,
      branch.branchId,
      origin,
    ]);
  }
  const originReason = await rowReason(trx, branch, origin, true);
  if (!(await insertRow(trx, branch, op, reason))) return 'DUPLICATE';
  // this op's own row was purged, the marker of its earlier empty run was kept: still nothing to undo
  if (originReason === op) return 'EMPTY';
  if (
    op === 'cancel' &&
    (state === 'confirmed' || (await rowReason(trx, branch, 'confirm', false)) !== undefined)
  ) {
    throw new BusinessRejectionError(
      'ALREADY_CONFIRMED',
      `cancel of ${branch.txId}/${branch.branchId} refused: already confirmed`,
    );
  }
  // undone already, and the rows of that undo were purged: a duplicate
  return state === 'undone' ? 'DUPLICATE' : 'APPLIED';
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
  guard: BarrierGuard = {},
): Promise<{ outcome: BarrierOutcome; value: T }> {
  const result = await db.transaction(async (trx) => {
    const budgetMs = remainingCallMs();
    // bounded by the call's deadline: a wait on a row lock ends when the caller stops waiting
    if (budgetMs !== undefined) {
      await trx.raw(`select set_config('statement_timeout', ?, true), set_config('lock_timeout', ?, true)`, [
        String(budgetMs),
        String(budgetMs),
      ]);
    }
    let outcome: BarrierOutcome;
    try {
      outcome = await enterBarrier(trx, branch, op, reason, guard);
    } catch (err) {
      // the barrier itself said no (hanging, conflicting or out-of-order call)
      if (err instanceof BusinessRejectionError) recordBarrier(op, 'REFUSED');
      throw err;
    }
    const value = outcome === 'APPLIED' ? await apply(trx) : await replay(trx, outcome);
    return { outcome, value };
  });
  // counted once committed: an APPLIED whose business change was rejected rolled its barrier row back
  recordBarrier(op, result.outcome);
  return result;
}

/**
 * Deletes barrier rows older than `retentionDays`, in batches; returns how many went. The markers of empty
 * compensations/cancels (an origin row written by them) stay: they refuse a late action, and there is no record
 * of them elsewhere.
 */
export function cleanupBarrier(db: Knex, retentionDays: number, batchSize = 5000): Promise<number> {
  return deleteOlderThan(db, {
    table: 'tx_barrier',
    column: 'created_at',
    days: retentionDays,
    where: `not (op in ('action', 'try') and reason <> '')`,
    batchSize,
  });
}
