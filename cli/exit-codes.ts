/** Exit codes scripts can trust (listed in `dtx --help`). */
import { DtxError, isUnreachable, type ErrorCode } from '../api/operations/errors';

export const EXIT = {
  /** it worked (a placed order that was waited for completed) */
  OK: 0,
  /** the operation did not succeed: a transaction compensated or failed, a refusal (409), a replay diverged */
  FAILED: 1,
  /** usage error or bad input */
  USAGE: 2,
  /** no such order, transaction, dead letter or history */
  NOT_FOUND: 3,
  /** a dependency (Temporal, a database, a service, Kafka) did not answer, or too many transactions are in flight */
  UNAVAILABLE: 4,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODES_HELP = `Exit codes:
  0  ok
  1  the operation did not succeed (transaction compensated/failed or still running after --wait,
     request refused e.g. retry of a running transaction, replay diverged)
  2  usage error or bad input
  3  not found (order, transaction, dead letter, history)
  4  unavailable (Temporal, a database, a service or Kafka does not answer) or busy
     (too many transactions in flight: retry later)`;

const EXIT_BY_ERROR_CODE: Record<ErrorCode, ExitCode> = {
  BAD_REQUEST: EXIT.USAGE,
  UNAUTHORIZED: EXIT.FAILED,
  NOT_FOUND: EXIT.NOT_FOUND,
  CONFLICT: EXIT.FAILED,
  PAYLOAD_TOO_LARGE: EXIT.USAGE,
  UNSUPPORTED_MEDIA_TYPE: EXIT.USAGE,
  // HTTP-only (the CLI calls the operations directly); listed for completeness
  METHOD_NOT_ALLOWED: EXIT.USAGE,
  URI_TOO_LONG: EXIT.USAGE,
  HEADERS_TOO_LARGE: EXIT.USAGE,
  REQUEST_TIMEOUT: EXIT.FAILED,
  // the cap of transactions in flight (the CLI has no rate limit): like a dependency that cannot take more now
  TOO_MANY_REQUESTS: EXIT.UNAVAILABLE,
  UNAVAILABLE: EXIT.UNAVAILABLE,
  INTERNAL: EXIT.FAILED,
};

/** The exit code of a failed command. */
export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof DtxError) return EXIT_BY_ERROR_CODE[error.code];
  return isUnreachable(error) ? EXIT.UNAVAILABLE : EXIT.FAILED;
}
