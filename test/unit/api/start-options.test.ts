/** services/api/wiring.ts transactionStarter: a TCC gets the configured try deadline; a saga none; input wins. */
import { loadConfig } from '../../../common/config';
import { transactionStarter } from '../../../api/operations/wiring';
import type { PlaceOrderInput } from '../../../workflows/contract';

const input: PlaceOrderInput = { orderId: 'o-1', customerId: 'c-1', items: [{ sku: 'S', quantity: 1 }] };
const start = transactionStarter(loadConfig({ DTX_TCC_TRY_TIMEOUT_MS: '2500' }));

/** The PlaceOrderInput a start would pass to the workflow. */
function argsOf(mode: 'saga' | 'tcc', order: PlaceOrderInput): PlaceOrderInput {
  const { options } = start(mode, order);
  return (options.args as PlaceOrderInput[])[0];
}

test('tcc: the configured try deadline', () => {
  expect(start('tcc', input).workflowType).toBe('placeOrderTcc');
  expect(argsOf('tcc', input).tryTimeoutMs).toBe(2500);
});

test('tcc: an explicit deadline in the input wins', () => {
  expect(argsOf('tcc', { ...input, tryTimeoutMs: 700 }).tryTimeoutMs).toBe(700);
});

test('saga: no try deadline', () => {
  expect(start('saga', input).workflowType).toBe('placeOrderSaga');
  expect(argsOf('saga', input).tryTimeoutMs).toBeUndefined();
});
