/** Every operation of dtx, written once: the HTTP routes and the CLI both call these. */
export {
  placeOrder,
  getOrderView,
  validateOrderRequest,
  DEFAULT_WAIT_MS,
  type PlaceOrderRequest,
} from './orders';
export {
  listTransactions,
  cancelTransaction,
  retryTransaction,
  RETRY_DESCRIPTION,
  type ListTransactionsRequest,
} from './transactions';
export { outboxStatus, listDeadLetters, redriveDeadLetter, redriveAllDeadLetters } from './outbox';
export { readiness } from './health';
export { placeAdmittedOrder } from './admission';
export { getOrderTrace, type OrderTrace } from './trace';
