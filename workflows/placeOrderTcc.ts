/**
 * placeOrderTcc (docs/architecture.md): quote → CreateOrder → Try inventory / coupon / payment in parallel under a deadline →
 * all succeed: Confirm all → ConfirmOrder; otherwise Cancel all (even tries that failed, timed out or never ran)
 * → CancelOrder. Once the confirms start, a cancel request is ignored and the order ends confirmed.
 */
import {
  DEFAULT_TRY_TIMEOUT_MS,
  type OrderQuote,
  type PlaceOrderInput,
  type PlaceOrderResult,
} from './contract';
import { runSaga, runTcc, SettleDeferred, type TccParticipant } from './lib';
import { STEPS } from './names';
import { orderProxies } from './order/activities';
import {
  cancelOrder,
  describeItems,
  openOrderTx,
  orderResult,
  orderStep,
  quoteOrder,
  quoteSummary,
  settleAcrossRuns,
  type SettleCalls,
} from './order/flow';

export async function placeOrderTcc(input: PlaceOrderInput): Promise<PlaceOrderResult> {
  // first: records the local-activities patch marker (older histories replay with remote activities)
  const { calls: acts, tries, decided, local } = orderProxies();
  const { orderId, customerId, items, couponCode } = input;
  const goods = describeItems(input);
  const tryTimeoutMs = input.tryTimeoutMs ?? DEFAULT_TRY_TIMEOUT_MS;
  const tx = openOrderTx(
    'tcc',
    input,
    local,
    (order, coupon) => [
      { name: STEPS.quote, summary: quoteSummary(input) },
      { name: STEPS.order, summary: `Create order ${order} as PENDING (rollback: cancel it)` },
      {
        name: STEPS.inventory,
        summary: `Freeze ${goods} for order ${order} (confirm: sell, cancel: unfreeze)`,
      },
      {
        name: STEPS.coupon,
        summary: coupon
          ? `Lock coupon ${coupon} for order ${order} (confirm: use, cancel: unlock)`
          : 'No coupon',
        skipped: !coupon,
      },
      {
        name: STEPS.payment,
        summary: `Freeze the amount in ${customerId}'s wallet for order ${order} (confirm: debit, cancel: unfreeze)`,
      },
      { name: STEPS.confirm, summary: `Confirm order ${order} after every participant confirmed` },
    ],
    { tryTimeoutMs },
  );

  // The participants, given the quote (a continued run rebuilds its confirms / cancels from the quote it carries).
  const participantsFor = ({ subtotal, total }: OrderQuote): TccParticipant[] => {
    const participants: TccParticipant[] = [
      {
        name: STEPS.inventory,
        try: () =>
          tries.tryReserveStock.executeWithOptions(
            { summary: `inventory.TryReserve: freeze ${goods} for order ${orderId}` },
            [{ branchId: STEPS.inventory, orderId, items }],
          ),
        confirm: () =>
          decided.confirmStock.executeWithOptions(
            { summary: `inventory.ConfirmReserve: sell ${goods} of order ${orderId}` },
            [{ branchId: STEPS.inventory }],
          ),
        cancel: (reason) =>
          acts.cancelStock.executeWithOptions(
            { summary: `inventory.CancelReserve: unfreeze ${goods} of order ${orderId} (${reason})` },
            [{ branchId: STEPS.inventory, reason }],
          ),
      },
    ];
    if (couponCode) {
      participants.push({
        name: STEPS.coupon,
        try: () =>
          tries.tryLockCoupon.executeWithOptions(
            { summary: `coupon.TryLock: ${couponCode} for order ${orderId}` },
            [{ branchId: STEPS.coupon, code: couponCode, customerId, orderId, orderAmount: subtotal }],
          ),
        confirm: () =>
          decided.confirmCoupon.executeWithOptions(
            { summary: `coupon.Confirm: use ${couponCode} for order ${orderId}` },
            [{ branchId: STEPS.coupon }],
          ),
        cancel: (reason) =>
          acts.cancelCoupon.executeWithOptions(
            { summary: `coupon.Cancel: unlock ${couponCode} of order ${orderId} (${reason})` },
            [{ branchId: STEPS.coupon, reason }],
          ),
      });
    }
    // A coupon can cover the whole order: nothing to freeze (the wallet refuses a zero amount); the step shows skipped.
    if (total > 0) {
      participants.push({
        name: STEPS.payment,
        try: () =>
          tries.tryFreezePayment.executeWithOptions(
            { summary: `payment.TryFreeze: ${total} of ${customerId} for order ${orderId}` },
            [{ branchId: STEPS.payment, customerId, orderId, amount: total }],
          ),
        confirm: () =>
          decided.confirmPayment.executeWithOptions(
            { summary: `payment.Confirm: debit ${total} from ${customerId} for order ${orderId}` },
            [{ branchId: STEPS.payment }],
          ),
        cancel: (reason) =>
          acts.cancelPayment.executeWithOptions(
            {
              summary: `payment.Cancel: unfreeze ${total} of ${customerId} for order ${orderId} (${reason})`,
            },
            [{ branchId: STEPS.payment, reason }],
          ),
      });
    }

    return participants;
  };
  const confirmOrder = () =>
    acts.confirmOrder.executeWithOptions({ summary: `order.ConfirmOrder: order ${orderId} → CONFIRMED` }, [
      { branchId: STEPS.confirm, orderId },
    ]);

  // what a continued run (continue-as-new in the middle of the confirms or the cancels) can still have to run
  const settleCalls = (): SettleCalls => {
    const calls: SettleCalls = {
      [STEPS.order]: { compensate: cancelOrder(input, acts) },
      [STEPS.confirm]: { action: confirmOrder },
    };
    const quote = tx.extra.quote;
    for (const p of quote ? participantsFor(quote) : []) {
      calls[p.name] = { confirm: p.confirm, cancel: p.cancel };
    }
    return calls;
  };

  return settleAcrossRuns(tx, input, settleCalls(), async () => {
    const outcome = await runSaga(tx, async (saga) => {
      // the participants are cancelled by the coordinator; the saga part to undo is the order
      saga.plan([{ name: STEPS.order, compensate: cancelOrder(input, acts) }]);
      const quote = await saga.step({ name: STEPS.quote, action: () => quoteOrder(tx, input, acts) });

      await saga.step(orderStep(input, 'tcc', quote, acts));

      const participants = participantsFor(quote);
      try {
        await runTcc(tx, participants, { tryTimeoutMs });
      } catch (err) {
        // confirms carried to a new run: ConfirmOrder follows them there
        if (err instanceof SettleDeferred && !err.failure) {
          throw err.followedBy([[{ step: STEPS.confirm, op: 'action' }]]);
        }
        throw err;
      }
      // Every participant is confirmed: the order must follow, whatever it takes.
      await tx.settle(STEPS.confirm, 'action', confirmOrder);
      return quote;
    });
    return orderResult(orderId, outcome);
  });
}
