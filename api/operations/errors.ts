/**
 * The one error model of the API and the CLI: typed errors raised by the operations, one JSON shape on the wire
 * (`{ error: { code, message, reason?, fields? } }`), one HTTP status and one CLI exit code per error code.
 */

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
}

export const badRequest = (message: string, fields?: FieldError[]): DtxError =>
  new DtxError('BAD_REQUEST', message, { fields });
export const notFound = (message: string): DtxError => new DtxError('NOT_FOUND', message);
export const conflict = (reason: string, message: string): DtxError =>
  new DtxError('CONFLICT', message, { reason });
export const unavailable = (message: string, cause?: unknown): DtxError =>
  new DtxError('UNAVAILABLE', message, { cause });

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

/** A short text of any thrown value, for messages and logs. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : JSON.stringify(error);
}
