/**
 * placeOrderSaga (docs/architecture.md): quote → CreateOrder → Reserve → Redeem (with a coupon) → Charge → ConfirmOrder (pivot).
 * A step that fails for good, or a cancel request before the pivot, runs the compensations of every step started,
 * newest first; after the pivot a cancel request is ignored and the order stays confirmed.
 */
import type { PlaceOrderInput, PlaceOrderResult } from './contract';
import { runSaga } from './lib';
import { STEPS } from './names';
import { orderProxies } from './order/activities';
import { awaitPaymentResult, isAsyncPayment, listenForPaymentResult } from './order/async-payment';
import {
  cancelOrder,
  describeItems,
  openOrderTx,
  orderResult,
  orderStep,
  quoteOrder,
  quoteSummary,
  settleAcrossRuns,
} from './order/flow';

export async function placeOrderSaga(input: PlaceOrderInput): Promise<PlaceOrderResult> {
  // first: records the local-activities patch marker (older histories replay with remote activities)
  const { calls: acts, decided, local } = orderProxies();
  const { orderId, customerId, items, couponCode } = input;
  const goods = describeItems(input);
  const asyncPayment = isAsyncPayment(input);
  const tx = openOrderTx('saga', input, local, (order, coupon) => [
    { name: STEPS.quote, summary: quoteSummary(input) },
    { name: STEPS.order, summary: `Create order ${order} as PENDING (rollback: cancel it)` },
    { name: STEPS.inventory, summary: `Reserve ${goods} for order ${order} (rollback: release)` },
    {
      name: STEPS.coupon,
      summary: coupon ? `Redeem coupon ${coupon} for order ${order} (rollback: restore)` : 'No coupon',
      skipped: !coupon,
    },
    {
      name: STEPS.payment,
      summary: asyncPayment
        ? `Authorize ${customerId}'s payment for order ${order}, wait for the provider (rollback: cancel it / refund)`
        : `Charge customer ${customerId} for order ${order} (rollback: refund)`,
    },
    { name: STEPS.confirm, summary: `Confirm order ${order} (pivot: nothing is undone after it)` },
  ]);

  // The compensations, defined up front: a cancelled saga with local calls runs them all (Saga.plan).
  const release = (reason: string) =>
    acts.releaseStock.executeWithOptions(
      { summary: `inventory.Release: give back ${goods} of order ${orderId} (${reason})` },
      [{ branchId: STEPS.inventory, reason }],
    );
  const restore = (reason: string) =>
    acts.restoreCoupon.executeWithOptions(
      { summary: `coupon.Restore: ${couponCode ?? ''} of order ${orderId} (${reason})` },
      [{ branchId: STEPS.coupon, reason }],
    );
  const refund = (reason: string) => {
    const amount = tx.extra.quote ? `${tx.extra.quote.total} ` : '';
    return acts.refundPayment.executeWithOptions(
      { summary: `payment.Refund: ${amount}to ${customerId} for order ${orderId} (${reason})` },
      [{ branchId: STEPS.payment, reason }],
    );
  };

  // async: releases a pending hold, or refunds a success (a declined payment needs nothing)
  const cancelAuthorization = (reason: string) =>
    acts.cancelAuthorization.executeWithOptions(
      { summary: `payment.CancelAuthorization: ${customerId}'s payment for order ${orderId} (${reason})` },
      [{ branchId: STEPS.payment, reason }],
    );
  const undoPayment = asyncPayment ? cancelAuthorization : refund;
  // the provider's result (async); a signal before the payment step is kept until the wait
  const paymentResult = listenForPaymentResult();

  // what a continued run (continue-as-new in the middle of the compensations) can still have to run
  const compensations = {
    [STEPS.order]: { compensate: cancelOrder(input, acts) },
    [STEPS.inventory]: { compensate: release },
    [STEPS.coupon]: { compensate: restore },
    [STEPS.payment]: { compensate: undoPayment },
  };

  return settleAcrossRuns(tx, input, compensations, async () => {
    const outcome = await runSaga(tx, async (saga) => {
      saga.plan([
        { name: STEPS.order, compensate: cancelOrder(input, acts) },
        { name: STEPS.inventory, compensate: release },
        ...(couponCode ? [{ name: STEPS.coupon, compensate: restore }] : []),
        // planned even when the quote leaves nothing to charge: a refund of a branch never charged is EMPTY
        { name: STEPS.payment, compensate: undoPayment },
      ]);
      const quote = await saga.step({ name: STEPS.quote, action: () => quoteOrder(tx, input, acts) });
      const { subtotal, total } = quote;

      await saga.step(orderStep(input, 'saga', quote, acts));

      await saga.step({
        name: STEPS.inventory,
        action: () =>
          acts.reserveStock.executeWithOptions(
            { summary: `inventory.Reserve: ${goods} for order ${orderId}` },
            [{ branchId: STEPS.inventory, orderId, items }],
          ),
        compensate: release,
      });

      if (couponCode) {
        await saga.step({
          name: STEPS.coupon,
          action: () =>
            acts.redeemCoupon.executeWithOptions(
              { summary: `coupon.Redeem: ${couponCode} for order ${orderId}` },
              [{ branchId: STEPS.coupon, code: couponCode, customerId, orderId, orderAmount: subtotal }],
            ),
          compensate: restore,
        });
      }

      // A coupon can cover the whole order: nothing to charge (the wallet refuses a zero amount); the step shows skipped.
      if (total > 0 && asyncPayment) {
        await saga.step({
          name: STEPS.payment,
          action: () =>
            acts.authorizePayment.executeWithOptions(
              { summary: `payment.Authorize: hold ${total} of ${customerId} for order ${orderId}` },
              [{ branchId: STEPS.payment, customerId, orderId, amount: total }],
            ),
          compensate: cancelAuthorization,
        });
        await awaitPaymentResult(tx, input, paymentResult);
      } else if (total > 0) {
        await saga.step({
          name: STEPS.payment,
          action: () =>
            acts.chargePayment.executeWithOptions(
              { summary: `payment.Charge: ${total} from ${customerId} for order ${orderId}` },
              [{ branchId: STEPS.payment, customerId, orderId, amount: total }],
            ),
          compensate: refund,
        });
      }

      await saga.pivot(STEPS.confirm, () =>
        decided.confirmOrder.executeWithOptions(
          { summary: `order.ConfirmOrder: order ${orderId} → CONFIRMED` },
          [{ branchId: STEPS.confirm, orderId }],
        ),
      );
      return quote;
    });
    return orderResult(orderId, outcome);
  });
}
