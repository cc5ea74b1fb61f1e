/** The retry rules in one paragraph: the OpenAPI description of /retry and `dtx tx retry --help`. */
export const RETRY_DESCRIPTION =
  'Retry a transaction that did not finish. FAILED, TIMED_OUT or TERMINATED: the run is reset to its last ' +
  'WorkflowTaskCompleted event, so the remaining steps and compensations run again with the current code (fix the ' +
  'cause first; the barrier makes repeated calls harmless); answers 202 with the new runId. Otherwise 409 with a ' +
  'reason: NOT_RETRYABLE_RUNNING (still running, it retries by itself: cancel or terminate it first), ' +
  'NOTHING_TO_RETRY (completed), COMPENSATED_PLACE_NEW_ORDER (the order was undone on purpose and is not silently ' +
  're-placed: place a new order), CANCELLED_PLACE_NEW_ORDER, NO_RESET_POINT (it ended before its first workflow task).';
