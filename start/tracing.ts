/**
 * `npm start -- --tracing` or DTX_TRACING=1: the stack starts Zipkin (stack/zipkin.ts) and every part exports its spans
 * to it through the standard OTEL_* variables, set here for the parts unless they already name an exporter (your own
 * collector wins).
 */
import { Client, Connection } from '@temporalio/client';
import { getOrderTrace } from '../api/operations/trace';
import type { Config } from '../common/config';
import { temporalConnectionOptions } from '../common/temporal';
import { tracingConfigured } from '../common/telemetry';
import { zipkinSpansEndpoint } from '../stack';
import { EXAMPLE_ORDER } from './banner';
import { apiBaseUrl } from './parts';

/** Spans leave each part within this long (the SDK's default is 5 s: a person looking at a fresh order waits less). */
const EXPORT_DELAY_MS = '1000';

/** Sets the OTEL_* variables of the parts for the local Zipkin; returns where spans go, for the progress line. */
export function exportToLocalZipkin(config: Config, env: NodeJS.ProcessEnv): string {
  if (tracingConfigured(env)) {
    return `spans go where OTEL_* say (${env.OTEL_TRACES_EXPORTER ?? 'otlp'}); Zipkin runs alongside`;
  }
  env.OTEL_TRACES_EXPORTER = 'zipkin';
  env.OTEL_EXPORTER_ZIPKIN_ENDPOINT = zipkinSpansEndpoint(config);
  env.OTEL_BSP_SCHEDULE_DELAY ??= EXPORT_DELAY_MS;
  return `every part exports its spans to Zipkin (${env.OTEL_EXPORTER_ZIPKIN_ENDPOINT})`;
}

/**
 * Places the banner's example order (saga) through the API, waits for its outcome and returns the link of its trace,
 * so a person starting with tracing has one to open; undefined (and the reason reported) when it did not work.
 */
export async function placeDemoOrder(
  config: Config,
  report: (text: string) => void,
): Promise<string | undefined> {
  try {
    const response = await fetch(`${apiBaseUrl(config)}/v1/orders?wait=true`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': `start-tracing-${Date.now()}`,
        ...(config.api.apiKey ? { 'x-api-key': config.api.apiKey } : {}),
      },
      body: JSON.stringify({
        customerId: EXAMPLE_ORDER.customerId,
        items: EXAMPLE_ORDER.items,
        mode: 'saga',
      }),
      signal: AbortSignal.timeout(60_000),
    });
    const placed = (await response.json()) as { orderId?: string; status?: string; message?: string };
    if (!response.ok || placed.orderId === undefined) {
      report(`tracing: the demo order was not placed (HTTP ${response.status}: ${placed.message ?? ''})`);
      return undefined;
    }
    const connection = await Connection.connect(temporalConnectionOptions(config));
    try {
      const client = new Client({ connection, namespace: config.temporal.namespace });
      const temporal = { client, namespace: config.temporal.namespace, uiUrl: config.temporal.uiUrl };
      const trace = await getOrderTrace({ temporal }, placed.orderId, config);
      return trace && `${trace.url ?? trace.traceId} (demo order ${placed.orderId}: ${placed.status ?? '?'})`;
    } finally {
      await connection.close();
    }
  } catch (error) {
    report(`tracing: the demo order failed: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}
