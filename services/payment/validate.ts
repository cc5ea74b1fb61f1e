/** Input validation of the payment RPCs (INVALID_ARGUMENT naming the field). */
import type { CreditRequest__Output } from '../../proto/gen/dtx/v1/CreditRequest';
import type { GetWalletRequest__Output } from '../../proto/gen/dtx/v1/GetWalletRequest';
import type { PaymentRequest__Output } from '../../proto/gen/dtx/v1/PaymentRequest';
import type { ProviderReport__Output } from '../../proto/gen/dtx/v1/ProviderReport';
import { InvalidArgumentError } from '../rpc/errors';
import type { BranchKey } from '../barrier';
import { money, requireBranch, requireId, text } from '../lib/validate';
import type { ProviderVerdict } from './store';

export interface ValidPayment {
  branch: BranchKey;
  customerId: string;
  orderId: string;
  amount: number;
}

export function validatePayment(request: PaymentRequest__Output): ValidPayment {
  return {
    branch: requireBranch(request.branch),
    customerId: requireId(request.customerId, 'customer_id'),
    orderId: requireId(request.orderId, 'order_id'),
    amount: money(request.amount, 'amount'),
  };
}

export function validateCredit(request: CreditRequest__Output): {
  branch: BranchKey;
  customerId: string;
  amount: number;
} {
  return {
    branch: requireBranch(request.branch),
    customerId: requireId(request.customerId, 'customer_id'),
    amount: money(request.amount, 'amount'),
  };
}

export function validateGetWallet(request: GetWalletRequest__Output): string {
  return requireId(request.customerId, 'customer_id');
}

export function validateProviderReport(request: ProviderReport__Output): {
  branch: BranchKey;
  result: ProviderVerdict;
  reason: string;
} {
  const branch = requireBranch(request.branch);
  const result = request.result;
  if (result !== 'SUCCEEDED' && result !== 'DECLINED')
    throw new InvalidArgumentError('result', 'must be SUCCEEDED or DECLINED');
  return { branch, result, reason: text(request.reason, 'reason') };
}
