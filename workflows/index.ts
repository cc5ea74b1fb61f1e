/** The worker's workflowsPath: every dtx workflow type (names in names.ts WORKFLOW_TYPES). */
export { placeOrderSaga } from './placeOrderSaga';
export { placeOrderTcc } from './placeOrderTcc';
