/** workflowStartOptions: every starter starts an order transaction the same way. */
import { TASK_QUEUE } from '../../../workflows/names';
import { CUSTOMER_ID, ORDER_ID, TX_MODE, TX_STATUS } from '../../../workflows/search-attributes';
import { workflowStartOptions } from '../../../workflows/start-options';

const input = {
  orderId: 'o-1',
  customerId: 'c-1',
  items: [{ sku: 'sku-a', quantity: 2 }],
  couponCode: 'SAVE5',
};

test('id, task queue, args, search attributes, memo, static summary and details', () => {
  const options = workflowStartOptions('tcc', { ...input, tryTimeoutMs: 3000 });
  expect(options.workflowId).toBe('order-o-1');
  expect(options.taskQueue).toBe(TASK_QUEUE);
  expect(options.args).toEqual([{ ...input, tryTimeoutMs: 3000 }]);
  expect(options.typedSearchAttributes).toEqual([
    { key: ORDER_ID, value: 'o-1' },
    { key: CUSTOMER_ID, value: 'c-1' },
    { key: TX_MODE, value: 'tcc' },
    { key: TX_STATUS, value: 'RUNNING' },
  ]);
  expect(options.memo).toEqual({ customerId: 'c-1', items: input.items, couponCode: 'SAVE5' });
  expect(options.staticSummary).toBe('TCC: order o-1 for c-1 — 2× sku-a, coupon SAVE5');
  expect(options.staticDetails).toContain('| sku-a | 2 |');
  expect(options.staticDetails).toContain('Try deadline: 3000 ms');
});

test('the task queue can be overridden (tests)', () => {
  expect(workflowStartOptions('saga', input, { taskQueue: 'q' }).taskQueue).toBe('q');
});
