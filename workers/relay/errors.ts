/** Sorts a failed send into "Kafka is unreachable" (wait, rows keep their attempts) or "Kafka rejected it" (the row's fault). */

/** The broker refused the records themselves (too large, invalid...): retried with backoff, then dead. */
export type SendFailureKind = 'rejected' | 'unavailable';

/** Protocol errors about the producer's own state, not the records: a fresh producer fixes them. */
const PRODUCER_STATE_ERRORS = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'DUPLICATE_SEQUENCE_NUMBER',
  'UNKNOWN_PRODUCER_ID',
  'INVALID_PRODUCER_EPOCH',
  'INVALID_PRODUCER_ID_MAPPING',
  'PRODUCER_FENCED',
]);

/** Deployment problems (credentials, ACLs): waiting is right, killing rows is not. */
const DEPLOYMENT_ERRORS = new Set([
  'TOPIC_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
  'SASL_AUTHENTICATION_FAILED',
  'ILLEGAL_SASL_STATE',
  'UNSUPPORTED_SASL_MECHANISM',
]);

interface KafkaErrorShape {
  name?: unknown;
  type?: unknown;
  retriable?: unknown;
  cause?: unknown;
  originalError?: unknown;
}

function chainOf(error: unknown): KafkaErrorShape[] {
  const chain: KafkaErrorShape[] = [];
  let current: unknown = error;
  while (current !== null && typeof current === 'object' && chain.length < 10) {
    const shaped = current as KafkaErrorShape;
    chain.push(shaped);
    current = shaped.cause ?? shaped.originalError;
  }
  return chain;
}

/** Classifies a kafkajs send error (walking `cause` chains, e.g. KafkaJSNumberOfRetriesExceeded). */
export function classifySendError(error: unknown): SendFailureKind {
  const chain = chainOf(error);
  if (chain.length === 0) return 'rejected';
  const isKafkaError = chain.some((e) => typeof e.name === 'string' && e.name.startsWith('KafkaJS'));
  // Not from kafkajs at all (e.g. a payload that cannot be encoded): the row's fault.
  if (!isKafkaError) return 'rejected';
  for (const e of chain) {
    if (e.name !== 'KafkaJSProtocolError' || typeof e.type !== 'string') continue;
    if (PRODUCER_STATE_ERRORS.has(e.type) || DEPLOYMENT_ERRORS.has(e.type)) return 'unavailable';
    if (e.retriable === false) return 'rejected';
  }
  // Connection refused/closed, request timeouts, leaders moving, retries exhausted on any of those.
  return 'unavailable';
}

/** A one-line description of an error for last_error and logs. */
export function describeError(error: unknown): string {
  const chain = chainOf(error);
  if (chain.length === 0) return String(error);
  return chain
    .map((e) => {
      const message = (e as { message?: unknown }).message;
      const type = typeof e.type === 'string' ? ` [${e.type}]` : '';
      return `${typeof e.name === 'string' ? e.name : 'Error'}${type}: ${typeof message === 'string' ? message : String(message)}`;
    })
    .filter((line, index, lines) => lines.indexOf(line) === index)
    .join(' <- ');
}
