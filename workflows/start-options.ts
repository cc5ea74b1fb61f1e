/**
 * How every starter (API, CLI, tests, scripts) starts an order transaction, so they all look the same in the UI:
 * id `order-<orderId>`, task queue, typed search attributes, static summary/details, memo.
 * Not workflow code: import it from clients only.
 */
import type { WorkflowStartOptions } from '@temporalio/client';
import type { PlaceOrderInput } from './contract';
import { TASK_QUEUE, workflowIdFor, type TxMode } from './names';
import type { placeOrderSaga } from './placeOrderSaga';
import { CUSTOMER_ID, ORDER_ID, TX_MODE, TX_STATUS } from './search-attributes';

const MODE_TITLES: Record<TxMode, string> = { saga: 'Saga', tcc: 'TCC' };

/** Options for `client.workflow.start(WORKFLOW_TYPES[mode], …)`; `taskQueue` may be overridden (tests). */
export function workflowStartOptions(
  mode: TxMode,
  input: PlaceOrderInput,
  overrides: { taskQueue?: string } = {},
): WorkflowStartOptions<typeof placeOrderSaga> {
  const items = input.items.map((i) => `${i.quantity}× ${i.sku}`).join(', ');
  const coupon = input.couponCode ? `, coupon ${input.couponCode}` : '';
  const flow =
    mode === 'saga'
      ? 'quote → CreateOrder → Reserve → Redeem coupon → Charge → ConfirmOrder (pivot); compensations in reverse on failure'
      : 'quote → CreateOrder → Try inventory / coupon / payment in parallel → Confirm all → ConfirmOrder; else Cancel all → CancelOrder';
  const details = [
    `**${MODE_TITLES[mode]}** transaction of order \`${input.orderId}\` for customer \`${input.customerId}\``,
    '',
    flow,
    '',
    '| sku | quantity |',
    '| --- | --- |',
    ...input.items.map((i) => `| ${i.sku} | ${i.quantity} |`),
    ...(input.couponCode ? ['', `Coupon: \`${input.couponCode}\``] : []),
    ...(mode === 'tcc' && input.tryTimeoutMs ? ['', `Try deadline: ${input.tryTimeoutMs} ms`] : []),
  ].join('\n');
  return {
    workflowId: workflowIdFor(input.orderId),
    taskQueue: overrides.taskQueue ?? TASK_QUEUE,
    args: [input],
    typedSearchAttributes: [
      { key: ORDER_ID, value: input.orderId },
      { key: CUSTOMER_ID, value: input.customerId },
      { key: TX_MODE, value: mode },
      { key: TX_STATUS, value: 'RUNNING' },
    ],
    staticSummary: `${MODE_TITLES[mode]}: order ${input.orderId} for ${input.customerId} — ${items}${coupon}`,
    staticDetails: details,
    memo: { customerId: input.customerId, items: input.items, couponCode: input.couponCode ?? null },
  };
}
