/** The activities' error mapping (docs/design.md, "Errors"): gRPC status → ApplicationFailure type and retryability. */
import * as grpc from '@grpc/grpc-js';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { grpcCall } from '../../../activities/grpc-call';

function serviceError(
  code: grpc.status,
  details: string,
  meta: Record<string, string> = {},
): grpc.ServiceError {
  const metadata = new grpc.Metadata();
  for (const [key, value] of Object.entries(meta)) metadata.set(key, value);
  return Object.assign(new Error(details), { code, details, metadata });
}

async function mapped(err: grpc.ServiceError): Promise<ApplicationFailure> {
  const env = new MockActivityEnvironment();
  try {
    await env.run(() => grpcCall('inventory.Reserve', () => Promise.reject(err)));
  } catch (failure) {
    if (failure instanceof ApplicationFailure) return failure;
    throw failure;
  }
  throw new Error('expected a failure');
}

test.each([
  [grpc.status.INVALID_ARGUMENT, {}, 'InvalidArgument', true],
  [grpc.status.NOT_FOUND, {}, 'NotFound', true],
  [grpc.status.FAILED_PRECONDITION, { 'dtx-reason': 'INSUFFICIENT_STOCK' }, 'INSUFFICIENT_STOCK', true],
  [grpc.status.FAILED_PRECONDITION, { 'dtx-reason': 'ALREADY_CANCELLED' }, 'ALREADY_CANCELLED', true],
  [grpc.status.UNAVAILABLE, {}, 'UNAVAILABLE', false],
  [grpc.status.DEADLINE_EXCEEDED, {}, 'DEADLINE_EXCEEDED', false],
  [grpc.status.RESOURCE_EXHAUSTED, {}, 'RESOURCE_EXHAUSTED', false],
  [grpc.status.INTERNAL, {}, 'INTERNAL', false],
  [grpc.status.CANCELLED, {}, 'CANCELLED', false],
])('gRPC code %s %j → type %s, non-retryable %s', async (code, meta, type, nonRetryable) => {
  const failure = await mapped(serviceError(code, 'boom', meta));
  expect(failure.type).toBe(type);
  expect(failure.nonRetryable).toBe(nonRetryable);
  expect(failure.message).toBe('inventory.Reserve: boom');
});

test('a successful call resolves with its response', async () => {
  const env = new MockActivityEnvironment();
  await expect(
    env.run(() => grpcCall('inventory.Quote', () => Promise.resolve({ subtotal: 5 }))),
  ).resolves.toEqual({ subtotal: 5 });
});
