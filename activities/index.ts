/**
 * The order activities: one thin adapter per RPC over the shared gRPC clients (services/rpc/clients.ts).
 * tx_id = the calling workflow's id, branch_id = the step name given by the workflow.
 */
import { call, type ServiceClients } from '../services/rpc/clients';
import type { Branch } from '../proto/gen/dtx/v1/Branch';
import type { ServiceBreakers } from './breakers';
import { callOptions, currentTxId, grpcCall as guardedCall, HedgeBudget, outcomeOf } from './grpc-call';
import type {
  BranchInput,
  CouponInput,
  CouponStepResult,
  CreateOrderInput,
  OrderSettleInput,
  OrderStepResult,
  PaymentInput,
  QuoteCouponInput,
  QuoteCouponResult,
  QuoteItemsInput,
  QuoteItemsResult,
  SettleInput,
  StepResult,
  StockInput,
} from './types';

export type * from './types';

export interface ActivityOptions {
  /**
   * Deadline of each gRPC call attempt (DTX_CALL_DEADLINE_MS); the calls take milliseconds, so a lost answer costs
   * this much before the workflow retries. Keep it below the activities' startToCloseTimeout.
   */
  callDeadlineMs: number;
  /** A second identical call after this long without an answer (DTX_CALL_HEDGE_AFTER_MS; 0 or absent: never). */
  hedgeAfterMs?: number;
  /** The circuit breaker per service (absent: none). */
  breakers?: ServiceBreakers;
}

export const DEFAULT_ACTIVITY_OPTIONS: ActivityOptions = { callDeadlineMs: 2_000, hedgeAfterMs: 250 };

/** Builds every order activity over the given clients. */
export function createActivities(
  clients: ServiceClients,
  options: ActivityOptions = DEFAULT_ACTIVITY_OPTIONS,
) {
  const { order, inventory, coupon, payment } = clients;
  const opts = () => callOptions(options.callDeadlineMs);
  // one budget for all the worker's calls: at most 10% more calls from hedging, whatever the load
  const guard = {
    breakers: options.breakers,
    hedgeAfterMs: options.hedgeAfterMs ?? 0,
    hedgeBudget: new HedgeBudget(),
  };
  const grpcCall = <T>(what: string, run: () => Promise<T>): Promise<T> => guardedCall(what, run, guard);
  const branch = ({ branchId }: BranchInput): Branch => ({ txId: currentTxId(), branchId });
  const settle = (input: SettleInput) => ({ branch: branch(input), reason: input.reason ?? '' });
  // the request of every payment call that moves money (Charge, Authorize, TryFreeze); built before the guarded call
  const money = (input: PaymentInput) => ({
    branch: branch(input),
    customerId: input.customerId,
    orderId: input.orderId,
    amount: input.amount,
  });
  const branchResult = async (what: string, run: () => Promise<{ outcome: string }>): Promise<StepResult> => {
    const result = await grpcCall(what, run);
    return { outcome: outcomeOf(result.outcome) };
  };
  const orderResult = async (
    what: string,
    run: () => Promise<{ outcome: string; order: { status: string; total: number } | null }>,
  ) => {
    const result = await grpcCall(what, run);
    return {
      outcome: outcomeOf(result.outcome),
      status: result.order?.status ?? '',
      total: result.order?.total ?? 0,
    };
  };

  return {
    // --- read-only quote
    async quoteItems({ items }: QuoteItemsInput): Promise<QuoteItemsResult> {
      const quote = await grpcCall('inventory.Quote', () => call(inventory, 'quote', { items }, opts()));
      const lines = quote.lines.map(({ sku, name, quantity, unitPrice, lineTotal }) => ({
        sku,
        name,
        quantity,
        unitPrice,
        lineTotal,
      }));
      return { lines, subtotal: quote.subtotal };
    },
    async quoteCoupon({ code, customerId, orderAmount }: QuoteCouponInput): Promise<QuoteCouponResult> {
      const quote = await grpcCall('coupon.Quote', () =>
        call(coupon, 'quote', { code, customerId, orderAmount }, opts()),
      );
      return { discount: quote.discount };
    },

    // --- order service
    async createOrder(input: CreateOrderInput): Promise<OrderStepResult> {
      const { orderId, customerId, lines, discount, couponCode, txMode } = input;
      const request = {
        branch: branch(input),
        orderId,
        customerId,
        lines,
        discount,
        couponCode: couponCode ?? '',
        txMode,
      };
      return orderResult('order.CreateOrder', () => call(order, 'createOrder', request, opts()));
    },
    async confirmOrder(input: OrderSettleInput): Promise<OrderStepResult> {
      const request = { branch: branch(input), orderId: input.orderId, reason: input.reason ?? '' };
      return orderResult('order.ConfirmOrder', () => call(order, 'confirmOrder', request, opts()));
    },
    async cancelOrder(input: OrderSettleInput): Promise<OrderStepResult> {
      const request = { branch: branch(input), orderId: input.orderId, reason: input.reason ?? '' };
      return orderResult('order.CancelOrder', () => call(order, 'cancelOrder', request, opts()));
    },

    // --- inventory: saga
    async reserveStock(input: StockInput): Promise<StepResult> {
      const request = { branch: branch(input), orderId: input.orderId, items: input.items };
      return branchResult('inventory.Reserve', () => call(inventory, 'reserve', request, opts()));
    },
    async releaseStock(input: SettleInput): Promise<StepResult> {
      return branchResult('inventory.Release', () => call(inventory, 'release', settle(input), opts()));
    },
    // --- inventory: TCC
    async tryReserveStock(input: StockInput): Promise<StepResult> {
      const request = { branch: branch(input), orderId: input.orderId, items: input.items };
      return branchResult('inventory.TryReserve', () => call(inventory, 'tryReserve', request, opts()));
    },
    async confirmStock(input: SettleInput): Promise<StepResult> {
      return branchResult('inventory.ConfirmReserve', () =>
        call(inventory, 'confirmReserve', settle(input), opts()),
      );
    },
    async cancelStock(input: SettleInput): Promise<StepResult> {
      return branchResult('inventory.CancelReserve', () =>
        call(inventory, 'cancelReserve', settle(input), opts()),
      );
    },

    // --- coupon: saga
    async redeemCoupon(input: CouponInput): Promise<CouponStepResult> {
      const { code, customerId, orderId, orderAmount } = input;
      const request = { branch: branch(input), code, customerId, orderId, orderAmount };
      const result = await grpcCall('coupon.Redeem', () => call(coupon, 'redeem', request, opts()));
      return { outcome: outcomeOf(result.outcome), discount: result.discount };
    },
    async restoreCoupon(input: SettleInput): Promise<StepResult> {
      return branchResult('coupon.Restore', () => call(coupon, 'restore', settle(input), opts()));
    },
    // --- coupon: TCC
    async tryLockCoupon(input: CouponInput): Promise<CouponStepResult> {
      const { code, customerId, orderId, orderAmount } = input;
      const request = { branch: branch(input), code, customerId, orderId, orderAmount };
      const result = await grpcCall('coupon.TryLock', () => call(coupon, 'tryLock', request, opts()));
      return { outcome: outcomeOf(result.outcome), discount: result.discount };
    },
    async confirmCoupon(input: SettleInput): Promise<StepResult> {
      return branchResult('coupon.Confirm', () => call(coupon, 'confirm', settle(input), opts()));
    },
    async cancelCoupon(input: SettleInput): Promise<StepResult> {
      return branchResult('coupon.Cancel', () => call(coupon, 'cancel', settle(input), opts()));
    },

    // --- payment: saga
    async chargePayment(input: PaymentInput): Promise<StepResult> {
      const request = money(input);
      return branchResult('payment.Charge', () => call(payment, 'charge', request, opts()));
    },
    async refundPayment(input: SettleInput): Promise<StepResult> {
      return branchResult('payment.Refund', () => call(payment, 'refund', settle(input), opts()));
    },
    // --- payment: async (issue 14): Authorize holds and answers at once; the result arrives as a signal
    async authorizePayment(input: PaymentInput): Promise<StepResult> {
      const request = money(input);
      return branchResult('payment.Authorize', () => call(payment, 'authorize', request, opts()));
    },
    async cancelAuthorization(input: SettleInput): Promise<StepResult> {
      return branchResult('payment.CancelAuthorization', () =>
        call(payment, 'cancelAuthorization', settle(input), opts()),
      );
    },
    // --- payment: TCC
    async tryFreezePayment(input: PaymentInput): Promise<StepResult> {
      const request = money(input);
      return branchResult('payment.TryFreeze', () => call(payment, 'tryFreeze', request, opts()));
    },
    async confirmPayment(input: SettleInput): Promise<StepResult> {
      return branchResult('payment.Confirm', () => call(payment, 'confirm', settle(input), opts()));
    },
    async cancelPayment(input: SettleInput): Promise<StepResult> {
      return branchResult('payment.Cancel', () => call(payment, 'cancel', settle(input), opts()));
    },
  };
}

/** The activity interface the workflows proxy (`import type`). */
export type OrderActivities = ReturnType<typeof createActivities>;
