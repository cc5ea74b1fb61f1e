/**
 * What the participants (inventory, coupon, payment) share: the barrier op of each mode's forward call, and the
 * compensate / confirm / cancel RPCs, table-driven (each service says per op what moves and writes the body once).
 */
import type { Knex } from 'knex';
import type { BranchRequest__Output } from '../../proto/gen/dtx/v1/BranchRequest';
import type { BranchResult } from '../../proto/gen/dtx/v1/BranchResult';
import type { TxMode } from '../../workflows/names';
import { withBarrier, type BranchKey, type BranchRecord } from '../barrier';
import type { CallContext } from '../rpc/server';
import { requireBranch, text } from './validate';

/** What a business record's state says about its branch, for the barrier (see BranchRecord). */
export function recordOf<State extends string>(
  state: State | undefined,
  undone: readonly State[],
  confirmed: readonly State[],
): BranchRecord {
  if (state === undefined) return 'absent';
  if (undone.includes(state)) return 'undone';
  return confirmed.includes(state) ? 'confirmed' : 'open';
}

/** The barrier op of a mode's forward call. */
export const FORWARD_OP: Record<TxMode, 'action' | 'try'> = { saga: 'action', tcc: 'try' };

export type SettleOp = 'compensate' | 'confirm' | 'cancel';
export type SettleRpc = (request: BranchRequest__Output, ctx: CallContext) => Promise<BranchResult>;

/** What a settle body gets: its transaction, the call, the branch and the reason the caller gave. */
export interface Settling {
  trx: Knex.Transaction;
  ctx: CallContext;
  branch: BranchKey;
  reason: string;
}

/**
 * The three settle RPCs: validate the BranchRequest, then `apply` the op's row of `table` when the barrier says APPLIED.
 * `recorded` reads the branch's business record, which decides when the barrier rows were purged.
 */
export function settleRpcs<Step>(
  db: Knex,
  table: Record<SettleOp, Step>,
  apply: (settling: Settling, step: Step) => Promise<void>,
  recorded: (trx: Knex.Transaction, branch: BranchKey) => Promise<BranchRecord>,
): Record<SettleOp, SettleRpc> {
  const rpc =
    (op: SettleOp): SettleRpc =>
    async (request, ctx) => {
      const branch = requireBranch(request.branch);
      const reason = text(request.reason, 'reason');
      const applied = (trx: Knex.Transaction) => apply({ trx, ctx, branch, reason }, table[op]);
      const { outcome } = await withBarrier(db, branch, op, reason, applied, () => Promise.resolve(), {
        recorded: (trx) => recorded(trx, branch),
      });
      return { branch, outcome };
    };
  return { compensate: rpc('compensate'), confirm: rpc('confirm'), cancel: rpc('cancel') };
}
