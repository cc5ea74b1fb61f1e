/** Input validation of the payment RPCs (INVALID_ARGUMENT naming the field). */
import type { CreditRequest__Output } from '../../proto/gen/dtx/v1/CreditRequest';
import type { GetWalletRequest__Output } from '../../proto/gen/dtx/v1/GetWalletRequest';
import type { PaymentRequest__Output } from '../../proto/gen/dtx/v1/PaymentRequest';
import type { BranchKey } from '../barrier';
import { money, requireBranch, requireId } from '../lib/validate';

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
