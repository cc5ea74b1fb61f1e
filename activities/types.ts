/** Inputs and results of the order activities: plain JSON, shared (as types) with the workflows. */
import type { OrderItem, PricedLine } from '../workflows/contract';
import type { BarrierOutcome } from '../workflows/names';

/** What the barrier made of a call (docs/design.md). */
export type Outcome = BarrierOutcome;

/** Every mutating call names its branch (the step); the tx id is the calling workflow's id. */
export interface BranchInput {
  branchId: string;
}
/** A compensation, confirm or cancel: the service finds what the branch did from its own records. */
export interface SettleInput extends BranchInput {
  reason?: string;
}
export interface OrderSettleInput extends SettleInput {
  orderId: string;
}

export interface QuoteItemsInput {
  items: OrderItem[];
}
export interface QuoteItemsResult {
  lines: PricedLine[];
  subtotal: number;
}

export interface QuoteCouponInput {
  code: string;
  customerId: string;
  orderAmount: number;
}
export interface QuoteCouponResult {
  discount: number;
}

export interface CreateOrderInput extends BranchInput {
  orderId: string;
  customerId: string;
  lines: PricedLine[];
  discount: number;
  couponCode?: string;
  txMode: string;
}
export interface OrderStepResult {
  outcome: Outcome;
  status: string;
  total: number;
}

export interface StockInput extends BranchInput {
  orderId: string;
  items: OrderItem[];
}

export interface CouponInput extends BranchInput {
  code: string;
  customerId: string;
  orderId: string;
  /** The order's subtotal, to check the minimum and compute the discount. */
  orderAmount: number;
}
export interface CouponStepResult {
  outcome: Outcome;
  discount: number;
}

export interface PaymentInput extends BranchInput {
  customerId: string;
  orderId: string;
  amount: number;
}

export interface StepResult {
  outcome: Outcome;
}
