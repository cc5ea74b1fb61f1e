/** The common shape of compensate / confirm / cancel handlers: validate the BranchRequest, run the barrier. */
import type { Knex } from 'knex';
import type { BranchRequest__Output } from '../../proto/gen/dtx/v1/BranchRequest';
import type { BranchResult } from '../../proto/gen/dtx/v1/BranchResult';
import { withBarrier, type BarrierOp, type BranchKey } from '../barrier';
import { requireBranch, text } from './validate';

/** Runs `apply` under the barrier for `op` (only when the barrier says APPLIED) and answers a BranchResult. */
export async function branchCall(
  db: Knex,
  request: BranchRequest__Output,
  op: Extract<BarrierOp, 'compensate' | 'confirm' | 'cancel'>,
  apply: (trx: Knex.Transaction, branch: BranchKey, reason: string) => Promise<void>,
): Promise<BranchResult> {
  const branch = requireBranch(request.branch);
  const reason = text(request.reason, 'reason');
  const { outcome } = await withBarrier(
    db,
    branch,
    op,
    reason,
    (trx) => apply(trx, branch, reason),
    () => Promise.resolve(),
  );
  return { branch, outcome };
}
