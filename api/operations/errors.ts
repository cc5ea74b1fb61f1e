/**
 * The one error model of the API and the CLI: typed errors raised by the operations, one JSON shape on the wire
 * (`{ error: { code, message, reason?, fields? } }`), one HTTP status and one CLI exit code per error code.
 */
import type { DatabaseName, ServiceName } from '../../common/config';

export const ERROR_CODES = [
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'REQUEST_TIMEOUT',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'URI_TOO_LONG',
  'UNSUPPORTED_MEDIA_TYPE',
  'HEADERS_TOO_LARGE',
  'TOO_MANY_REQUESTS',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** One failing input field: its JSON-pointer-like path without the leading slash (e.g. `items/0/quantity`). */
export interface FieldError {
  path: string;
  message: string;
}

export const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_TIMEOUT: 408,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  URI_TOO_LONG: 414,
  UNSUPPORTED_MEDIA_TYPE: 415,
  HEADERS_TOO_LARGE: 431,
  TOO_MANY_REQUESTS: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** An operation failed for a reason the caller should see; everything else is INTERNAL. */
export class DtxError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: {
      /** Machine-readable why, e.g. for 409: IDEMPOTENCY_KEY_REUSED, NOT_RETRYABLE_RUNNING. */
      reason?: string;
      fields?: FieldError[];
      cause?: unknown;
      /** When to try again (429 TOO_MANY_REQUESTS, 503 CIRCUIT_OPEN): the HTTP answer's Retry-After, in whole seconds. */
      retryAfterSeconds?: number;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DtxError';
  }

  get reason(): string | undefined {
    return this.options.reason;
  }

  get fields(): FieldError[] | undefined {
    return this.options.fields;
  }

  get retryAfterSeconds(): number | undefined {
    return this.options.retryAfterSeconds;
  }
}

export const badRequest = (message: string, fields?: FieldError[]): DtxError =>
  new DtxError('BAD_REQUEST', message, { fields });
export const notFound = (message: string): DtxError => new DtxError('NOT_FOUND', message);
export const conflict = (reason: string, message: string): DtxError =>
  new DtxError('CONFLICT', message, { reason });
export const unavailable = (message: string, cause?: unknown): DtxError =>
  new DtxError('UNAVAILABLE', message, { cause });
/** 429: over a rate limit (reason RATE_LIMITED) or the cap of transactions in flight (reason IN_FLIGHT_CAP). */
export const tooManyRequests = (reason: string, message: string, retryAfterSeconds: number): DtxError =>
  new DtxError('TOO_MANY_REQUESTS', message, { reason, retryAfterSeconds });

/** The wire shape of every error answer. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; reason?: string; fields?: FieldError[] };
}

export function errorBody(error: DtxError): ErrorBody {
  const body: ErrorBody = { error: { code: error.code, message: error.message } };
  if (error.reason !== undefined) body.error.reason = error.reason;
  if (error.fields !== undefined && error.fields.length > 0) body.error.fields = error.fields;
  return body;
}

/** Network failures that mean "nothing answers there", anywhere in the error's cause chain. */
const UNREACHABLE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|UNAVAILABLE|No connection established|Failed to connect|connect ECONN|Connection (terminated|refused)|Timeout acquiring a connection/i;

/** True when the error (or a cause of it) says the other side could not be reached or did not answer in time. */
export function isUnreachable(error: unknown, depth = 0): boolean {
  if (depth > 5 || error === null || typeof error !== 'object') return false;
  const { message, code, cause } = error as { message?: unknown; code?: unknown; cause?: unknown };
  if (code === 14 /* gRPC UNAVAILABLE */ || code === 4 /* gRPC DEADLINE_EXCEEDED */) return true;
  if (typeof code === 'string' && UNREACHABLE.test(code)) return true;
  if (typeof message === 'string' && UNREACHABLE.test(message)) return true;
  return isUnreachable(cause, depth + 1);
}

/**
 * The parts of dtx an answer may name when they do not answer. Answers name the part and what to do, never its
 * address or the driver's text (`connect ECONNREFUSED 127.0.0.1:50051`): those stay in the error's cause, which the
 * API logs.
 */
export type Component =
  'temporal' | 'kafka' | `${ServiceName} service` | `${DatabaseName} database` | 'outbox databases';

/** UNAVAILABLE naming the component and what to do; the original error is kept as the cause (for the logs). */
export function componentUnavailable(component: Component, cause?: unknown): DtxError {
  const name = component === 'temporal' ? 'Temporal' : component === 'kafka' ? 'Kafka' : `the ${component}`;
  const verb = component === 'outbox databases' ? 'are' : 'is';
  const hint = component.endsWith(' service')
    ? 'is `npm start` running?'
    : 'is the local stack up (`npm run stack -- status`)?';
  return new DtxError('UNAVAILABLE', `${name} ${verb} not answering; ${hint}`, { cause });
}

/** Runs a call to a component: when it cannot be reached, the error names the component (see Component). */
export async function componentCall<T>(component: Component, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof DtxError) && isUnreachable(error)) throw componentUnavailable(component, error);
    throw error;
  }
}

/** A short text of any thrown value, for messages and logs. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : JSON.stringify(error);
}
