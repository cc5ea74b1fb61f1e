/** The error contract: typed errors -> gRPC status with trailing metadata, and back with describeGrpcError. */
import * as grpc from '@grpc/grpc-js';
import {
  AlreadyExistsError,
  BusinessRejectionError,
  describeGrpcError,
  InvalidArgumentError,
  NotFoundError,
  toGrpcStatus,
} from '../../../services/rpc/errors';

/** What a client receives for a status the server sent. */
function received(status: ReturnType<typeof toGrpcStatus>): grpc.ServiceError {
  return Object.assign(new Error(`${status.code} ${grpc.status[status.code]}: ${status.details}`), {
    code: status.code,
    details: status.details,
    metadata: status.metadata,
  });
}

test('InvalidArgumentError -> INVALID_ARGUMENT with dtx-field; not transient', () => {
  expect(
    describeGrpcError(
      received(toGrpcStatus(new InvalidArgumentError('items[0].quantity', 'must be a positive integer'))),
    ),
  ).toMatchObject({
    code: grpc.status.INVALID_ARGUMENT,
    type: 'InvalidArgument',
    field: 'items[0].quantity',
    message: 'items[0].quantity: must be a positive integer',
    transient: false,
  });
});

test('NotFoundError / AlreadyExistsError carry the resource and its id', () => {
  expect(describeGrpcError(received(toGrpcStatus(new NotFoundError('sku', 'MUG-1'))))).toMatchObject({
    codeName: 'NOT_FOUND',
    type: 'NotFound',
    resource: 'sku',
    resourceId: 'MUG-1',
    transient: false,
  });
  expect(describeGrpcError(received(toGrpcStatus(new AlreadyExistsError('coupon', 'SAVE'))))).toMatchObject({
    codeName: 'ALREADY_EXISTS',
    type: 'AlreadyExists',
  });
});

test('BusinessRejectionError -> FAILED_PRECONDITION whose type is the reason', () => {
  expect(
    describeGrpcError(
      received(toGrpcStatus(new BusinessRejectionError('INSUFFICIENT_FUNDS', 'wallet has 5'))),
    ),
  ).toMatchObject({
    code: grpc.status.FAILED_PRECONDITION,
    reason: 'INSUFFICIENT_FUNDS',
    type: 'INSUFFICIENT_FUNDS',
    message: 'wallet has 5',
    transient: false,
  });
});

test('untyped errors become INTERNAL with a generic message (nothing leaks)', () => {
  const status = toGrpcStatus(new Error('password=hunter2'));
  expect(status).toMatchObject({ code: grpc.status.INTERNAL, details: 'internal error', typed: false });
});

test.each([
  [grpc.status.UNAVAILABLE, true],
  [grpc.status.DEADLINE_EXCEEDED, true],
  [grpc.status.RESOURCE_EXHAUSTED, true],
  [grpc.status.INTERNAL, true],
  [grpc.status.ABORTED, true],
  [grpc.status.INVALID_ARGUMENT, false],
  [grpc.status.NOT_FOUND, false],
  [grpc.status.FAILED_PRECONDITION, false],
  [grpc.status.PERMISSION_DENIED, false],
])('code %s transient = %s', (code, transient) => {
  const err = Object.assign(new Error('x'), { code, details: 'x', metadata: new grpc.Metadata() });
  expect(describeGrpcError(err).transient).toBe(transient);
});

test('a non-gRPC error is UNKNOWN and not transient', () => {
  expect(describeGrpcError(new TypeError('bad'))).toMatchObject({
    codeName: 'UNKNOWN',
    message: 'bad',
    transient: false,
  });
});
