/** Temporal helpers of the operations: error mapping and links. */
import { isGrpcServiceError, ServiceError, WorkflowNotFoundError } from '@temporalio/client';
import { orderIdFromWorkflowId } from '../../workflows/names';
import type { TemporalAccess } from './deps';
import { componentUnavailable, DtxError, describeError, isUnreachable, notFound } from './errors';

/** gRPC codes (numeric) that mean "Temporal is not answering" rather than "your request is wrong". */
const UNAVAILABLE_GRPC_CODES = new Set([4 /* DEADLINE_EXCEEDED */, 14 /* UNAVAILABLE */, 1 /* CANCELLED */]);

function grpcCodeOf(error: unknown): number | undefined {
  if (isGrpcServiceError(error)) return error.code;
  if (error instanceof ServiceError && error.cause !== undefined) return grpcCodeOf(error.cause);
  return undefined;
}

/** A Temporal failure as a DtxError: unknown workflow → NOT_FOUND, no answer → UNAVAILABLE, else rethrown as is. */
export function fromTemporalError(error: unknown, workflowId?: string): Error {
  if (error instanceof DtxError) return error;
  if (error instanceof WorkflowNotFoundError)
    return notFound(`transaction "${workflowId ?? error.workflowId}" not found`);
  const code = grpcCodeOf(error);
  if (code === 5 /* NOT_FOUND */) return notFound(`transaction "${workflowId ?? '?'}" not found`);
  if (
    (code !== undefined && UNAVAILABLE_GRPC_CODES.has(code)) ||
    (code === undefined && isUnreachable(error))
  ) {
    // the driver's text names Temporal's address: it stays in the cause (logged), the answer names the component
    return componentUnavailable('temporal', error);
  }
  return error instanceof Error ? error : new Error(describeError(error));
}

/** Runs a Temporal call, translating its failures (see fromTemporalError). */
export async function temporalCall<T>(workflowId: string | undefined, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw fromTemporalError(error, workflowId);
  }
}

/** The links every transaction answer carries. */
export function linksFor(temporal: TemporalAccess, workflowId: string, runId: string | undefined) {
  const orderId = orderIdFromWorkflowId(workflowId) ?? workflowId;
  const namespace = encodeURIComponent(temporal.namespace);
  const workflowPath = `${temporal.uiUrl}/namespaces/${namespace}/workflows/${encodeURIComponent(workflowId)}`;
  return {
    status: `/v1/orders/${encodeURIComponent(orderId)}`,
    temporalUi: runId ? `${workflowPath}/${encodeURIComponent(runId)}` : workflowPath,
  };
}
