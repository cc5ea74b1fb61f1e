/**
 * The typed error contract between the services and their callers (docs/design.md, "Errors").
 *
 * Server side: handlers throw InvalidArgumentError / NotFoundError / AlreadyExistsError / BusinessRejectionError;
 * `toGrpcStatus` turns them into a gRPC status whose trailing metadata carries the machine-readable detail:
 *   dtx-reason   business reason (FAILED_PRECONDITION), e.g. INSUFFICIENT_STOCK
 *   dtx-field    the offending request field (INVALID_ARGUMENT), e.g. items[2].quantity
 *   dtx-resource / dtx-resource-id   what was not found or already exists (NOT_FOUND / ALREADY_EXISTS)
 * Client side: `describeGrpcError(err)` reads them back, plus whether the failure is transient (worth retrying).
 */
import * as grpc from '@grpc/grpc-js';
import { ERROR_TYPES } from '../../workflows/names';
import { isBudgetExceeded } from './call-budget';

/** Trailing-metadata keys of the contract. */
export const METADATA_KEYS = {
  reason: 'dtx-reason',
  field: 'dtx-field',
  resource: 'dtx-resource',
  resourceId: 'dtx-resource-id',
} as const;

/** Business rejections (FAILED_PRECONDITION); the workflow uses the reason as the non-retryable error type. */
export const BUSINESS_REASONS = [
  'INSUFFICIENT_STOCK',
  'INSUFFICIENT_FUNDS',
  'COUPON_UNAVAILABLE',
  // a try/action whose cancel/compensation came first (hanging), or a confirm after a cancel
  'ALREADY_CANCELLED',
  // a cancel after the branch was confirmed
  'ALREADY_CONFIRMED',
  // a confirm whose try never applied (no try barrier row)
  'TRY_NOT_APPLIED',
  // ConfirmOrder/CancelOrder on an order that is no longer PENDING
  'ORDER_NOT_PENDING',
  // the order belongs to another transaction than the calling branch
  'TX_MISMATCH',
  // a repeated action/try whose request differs from the one the branch first ran with
  'IDEMPOTENCY_CONFLICT',
] as const;
export type BusinessReason = (typeof BUSINESS_REASONS)[number];

/** Base of every typed service error. */
export abstract class ServiceError extends Error {
  abstract readonly code: grpc.status;
  /** Trailing metadata entries describing the error. */
  abstract details(): Record<string, string>;
}

/** Bad input: INVALID_ARGUMENT naming the field. */
export class InvalidArgumentError extends ServiceError {
  readonly code = grpc.status.INVALID_ARGUMENT;
  constructor(
    readonly field: string,
    readonly why: string,
  ) {
    super(`${field}: ${why}`);
    this.name = 'InvalidArgumentError';
  }
  details(): Record<string, string> {
    return { [METADATA_KEYS.field]: this.field };
  }
}

/** Unknown order, SKU, coupon, wallet: NOT_FOUND. */
export class NotFoundError extends ServiceError {
  readonly code = grpc.status.NOT_FOUND;
  constructor(
    readonly what: string,
    readonly id: string,
  ) {
    super(`${what} "${id}" not found`);
    this.name = 'NotFoundError';
  }
  details(): Record<string, string> {
    return { [METADATA_KEYS.resource]: this.what, [METADATA_KEYS.resourceId]: this.id };
  }
}

/** An admin create with an existing id but other terms (e.g. IssueCoupon), or an order id taken by another tx. */
export class AlreadyExistsError extends ServiceError {
  readonly code = grpc.status.ALREADY_EXISTS;
  constructor(
    readonly what: string,
    readonly id: string,
    message = `${what} "${id}" already exists with other terms`,
  ) {
    super(message);
    this.name = 'AlreadyExistsError';
  }
  details(): Record<string, string> {
    return { [METADATA_KEYS.resource]: this.what, [METADATA_KEYS.resourceId]: this.id };
  }
}

/** A business rule refused the change: FAILED_PRECONDITION with the reason. */
export class BusinessRejectionError extends ServiceError {
  readonly code = grpc.status.FAILED_PRECONDITION;
  constructor(
    readonly reason: BusinessReason,
    message: string,
  ) {
    super(message);
    this.name = 'BusinessRejectionError';
  }
  details(): Record<string, string> {
    return { [METADATA_KEYS.reason]: this.reason };
  }
}

/** The gRPC status a handler error becomes; anything untyped is INTERNAL (and must be logged by the caller). */
export function toGrpcStatus(err: unknown): {
  code: grpc.status;
  details: string;
  metadata: grpc.Metadata;
  typed: boolean;
} {
  const metadata = new grpc.Metadata();
  if (err instanceof ServiceError) {
    for (const [key, value] of Object.entries(err.details())) metadata.set(key, value);
    return { code: err.code, details: err.message, metadata, typed: true };
  }
  // the call's own time ran out inside the database (statement_timeout / lock_timeout from its deadline)
  if (isBudgetExceeded(err)) {
    return {
      code: grpc.status.DEADLINE_EXCEEDED,
      details: 'deadline reached in the database',
      metadata,
      typed: true,
    };
  }
  return { code: grpc.status.INTERNAL, details: 'internal error', metadata, typed: false };
}

/** gRPC codes a caller should retry (docs/design.md, "Errors"; ABORTED too: a serialization/deadlock abort). */
export const TRANSIENT_CODES: ReadonlySet<grpc.status> = new Set([
  grpc.status.UNAVAILABLE,
  grpc.status.DEADLINE_EXCEEDED,
  grpc.status.RESOURCE_EXHAUSTED,
  grpc.status.INTERNAL,
  grpc.status.ABORTED,
]);

/** What a caller needs to know about a failed call. */
export interface GrpcErrorDescription {
  code: grpc.status;
  /** e.g. "FAILED_PRECONDITION" */
  codeName: string;
  /**
   * Error type for the workflow: the business reason for FAILED_PRECONDITION, one of ERROR_TYPES
   * (workflows/names.ts) for INVALID_ARGUMENT / NOT_FOUND / ALREADY_EXISTS, otherwise the code name.
   */
  type: string;
  reason?: string;
  field?: string;
  resource?: string;
  resourceId?: string;
  message: string;
  transient: boolean;
}

function firstString(metadata: grpc.Metadata | undefined, key: string): string | undefined {
  const value = metadata?.get(key)[0];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isServiceErrorLike(err: unknown): err is grpc.ServiceError {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as { code?: unknown }).code === 'number' &&
    'details' in err
  );
}

/** Reads a gRPC client error (or anything thrown) into the contract's terms. */
export function describeGrpcError(err: unknown): GrpcErrorDescription {
  if (!isServiceErrorLike(err)) {
    const message = err instanceof Error ? err.message : String(err);
    return { code: grpc.status.UNKNOWN, codeName: 'UNKNOWN', type: 'UNKNOWN', message, transient: false };
  }
  const code = err.code;
  const codeName = grpc.status[code] ?? `CODE_${code}`;
  const reason = firstString(err.metadata, METADATA_KEYS.reason);
  const typeByCode: Partial<Record<grpc.status, string>> = {
    [grpc.status.INVALID_ARGUMENT]: ERROR_TYPES.invalidArgument,
    [grpc.status.NOT_FOUND]: ERROR_TYPES.notFound,
    [grpc.status.ALREADY_EXISTS]: ERROR_TYPES.alreadyExists,
  };
  const type = code === grpc.status.FAILED_PRECONDITION && reason ? reason : (typeByCode[code] ?? codeName);
  return {
    code,
    codeName,
    type,
    reason,
    field: firstString(err.metadata, METADATA_KEYS.field),
    resource: firstString(err.metadata, METADATA_KEYS.resource),
    resourceId: firstString(err.metadata, METADATA_KEYS.resourceId),
    message: err.details || err.message,
    transient: TRANSIENT_CODES.has(code),
  };
}
