/**
 * patches/kafkajs+2.2.4.patch (applied by `npm ci` through patch-package): an idle kafkajs connection must not spin.
 * Unpatched, RequestQueue re-armed a 1 ms timer forever once it had checked its (empty) queue, ~1,000 wake-ups a
 * second on every connection of every relay, projector, bridge and provider (kafkajs issues #1556, #1704).
 */
interface RequestQueueInternals {
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}
type RequestQueueClass = new (options: Record<string, unknown>) => RequestQueueInternals;

// eslint-disable-next-line @typescript-eslint/no-require-imports -- kafkajs exports no types for its internals
const RequestQueue = require('kafkajs/src/network/requestQueue') as RequestQueueClass;

const silent = () => ({
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
});
const logger = { namespace: silent };

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

test('an idle connection checks its empty queue once, not every millisecond', () => {
  const queue = new RequestQueue({
    maxInFlightRequests: null,
    requestTimeout: 30_000,
    enforceRequestTimeout: false,
    clientId: 'test',
    broker: '127.0.0.1:9092',
    logger,
  });
  const check = jest.spyOn(queue, 'checkPendingRequests');
  queue.checkPendingRequests(); // what a fulfilled request does
  jest.advanceTimersByTime(1_000);
  expect(check).toHaveBeenCalledTimes(1);
});
