/**
 * An order's trace: the trace its workflow was started in, read from the OpenTelemetry client interceptor's header
 * on the workflow's first history event (`_tracer-data`, a W3C carrier), and where a person opens it. Nothing when
 * the order was placed with tracing off.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import type { Config } from '../../common/config';
import { traceIdOf, traceUrl } from '../../common/telemetry';
import { workflowIdFor } from '../../workflows/names';
import type { ApiDependencies } from './deps';

/** The header @temporalio/interceptors-opentelemetry puts the caller's trace context in. */
const TRACE_HEADER = '_tracer-data';

export interface OrderTrace {
  traceId: string;
  /** The trace in the configured viewer (DTX_TRACE_UI_URL, or the Zipkin spans are exported to). */
  url?: string;
}

/** The order's trace, or undefined when its workflow carries none (placed with tracing off) or does not exist. */
export async function getOrderTrace(
  deps: Pick<ApiDependencies, 'temporal'>,
  orderId: string,
  config: Pick<Config, 'tracing'>,
): Promise<OrderTrace | undefined> {
  const { client, namespace } = deps.temporal;
  const response = await client.workflowService.getWorkflowExecutionHistory({
    namespace,
    execution: { workflowId: workflowIdFor(orderId) },
    maximumPageSize: 1,
  });
  const payload =
    response.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.header?.fields?.[TRACE_HEADER];
  if (!payload) return undefined;
  let carrier: unknown;
  try {
    carrier = defaultPayloadConverter.fromPayload(payload);
  } catch {
    return undefined;
  }
  const traceparent =
    typeof carrier === 'object' && carrier !== null
      ? (carrier as Record<string, unknown>).traceparent
      : undefined;
  const traceId = traceIdOf(typeof traceparent === 'string' ? traceparent : undefined);
  if (traceId === undefined) return undefined;
  const url = traceUrl(config, traceId);
  return url === undefined ? { traceId } : { traceId, url };
}
