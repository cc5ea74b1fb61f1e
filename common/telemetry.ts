/**
 * Tracing with OpenTelemetry, the one module every dtx process loads first (through its `telemetry.ts` next to its
 * main: services, worker, relay, projector, API, the dtx CLI). Configured by the standard OTEL_* variables only
 * (OTEL_TRACES_EXPORTER, OTEL_EXPORTER_OTLP_*, OTEL_EXPORTER_ZIPKIN_ENDPOINT, OTEL_SERVICE_NAME, OTEL_PROPAGATORS,
 * OTEL_BSP_*, ...). Off when no exporter is configured: then no SDK is loaded or started, nothing is patched, and the
 * @opentelemetry/api calls elsewhere are no-ops.
 *
 * Spans leave through a BatchSpanProcessor (in the background, never on a transaction's path); an unreachable
 * collector costs dropped spans and ONE warning line per process, never a failed or slower call.
 */
import { context, propagation, ROOT_CONTEXT } from '@opentelemetry/api';
import type { NodeSDK, NodeSDKConfiguration } from '@opentelemetry/sdk-node';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { Config } from './config';

type SpanProcessor = NonNullable<NodeSDKConfiguration['spanProcessors']>[number];
type Resource = NonNullable<NodeSDKConfiguration['resource']>;

export interface TelemetryOptions {
  /**
   * The kafkajs instrumentation (default true). The relay turns it off: it makes each message's producer span a
   * child of the trace stored in the outbox row itself (workers/relay/tracing.ts), which the instrumentation's
   * one-parent-per-sendBatch spans would overwrite.
   */
  kafkajs?: boolean;
  /** @fastify/otel for a process that serves HTTP with Fastify (the API). */
  fastify?: boolean;
}

interface Running {
  sdk: NodeSDK;
  spanProcessor: SpanProcessor;
  resource: Resource;
  serviceName: string;
}

let running: Running | undefined;

/** The HTTP paths of probes and scrapes: no trace per health check. */
const UNTRACED_HTTP_PATHS = new Set(['/healthz', '/readyz', '/metrics']);
/** gRPC health checks (the supervisor's probes) and Temporal's system calls (readiness): no trace either. */
const UNTRACED_GRPC_METHODS = ['Check', 'Watch', 'GetSystemInfo'];

/** True when the OTEL_* variables name a trace exporter (OTEL_TRACES_EXPORTER, or an OTLP endpoint for the default). */
export function tracingConfigured(env: Record<string, string | undefined> = process.env): boolean {
  if (/^true$/i.test(env.OTEL_SDK_DISABLED ?? '')) return false;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '' && name !== 'null');
  if (exporters.length === 1 && exporters[0] === 'none') return false;
  if (exporters.length > 0) return true;
  // the SDK's default exporter is OTLP; started only when an endpoint says where it goes
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/** True once startTelemetry started the SDK in this process. */
export function tracingActive(): boolean {
  return running !== undefined;
}

/**
 * Starts the SDK for `part` (service name `dtx-<part>` unless OTEL_SERVICE_NAME is set) when an exporter is
 * configured; a no-op otherwise or when already started. Must run before grpc, pg, kafkajs, pino and fastify are
 * required (their instrumentations patch them as they load).
 */
export function startTelemetry(part: string, options: TelemetryOptions = {}): void {
  if (running || !tracingConfigured()) return;
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded only when tracing is on: zero cost when off */
  const sdkNode = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  // the SDK's own reader of OTEL_TRACES_EXPORTER / OTEL_EXPORTER_* / OTEL_BSP_* (not re-exported by its index); we
  // build the processors ourselves because the worker's workflow-span sink needs them too
  const { getSpanProcessorsFromEnv } =
    require('@opentelemetry/sdk-node/build/src/utils') as typeof import('@opentelemetry/sdk-node/build/src/utils');
  const { GrpcInstrumentation } =
    require('@opentelemetry/instrumentation-grpc') as typeof import('@opentelemetry/instrumentation-grpc');
  const { PgInstrumentation } =
    require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  const { PinoInstrumentation } =
    require('@opentelemetry/instrumentation-pino') as typeof import('@opentelemetry/instrumentation-pino');
  const instrumentations: Instrumentation[] = [
    new GrpcInstrumentation({ ignoreGrpcMethods: UNTRACED_GRPC_METHODS }),
    // SQL only inside a trace: the relay's claim polls and the cleanup jobs would each be a trace of their own
    new PgInstrumentation({ requireParentSpan: true }),
    // trace_id / span_id on every log line; the lines themselves stay pino's (no OTel log export)
    new PinoInstrumentation({ disableLogSending: true }),
  ];
  if (options.kafkajs !== false) {
    const { KafkaJsInstrumentation } =
      require('@opentelemetry/instrumentation-kafkajs') as typeof import('@opentelemetry/instrumentation-kafkajs');
    instrumentations.push(new KafkaJsInstrumentation());
  }
  if (options.fastify) {
    const { FastifyOtelInstrumentation } = require('@fastify/otel') as typeof import('@fastify/otel');
    instrumentations.push(
      new FastifyOtelInstrumentation({
        registerOnInitialization: true,
        ignorePaths: (route) => UNTRACED_HTTP_PATHS.has(route.url),
      }),
    );
  }
  /* eslint-enable @typescript-eslint/no-require-imports */

  const serviceName = process.env.OTEL_SERVICE_NAME || `dtx-${part}`;
  const resource = sdkNode.resources.resourceFromAttributes({ 'service.name': serviceName });
  const processors = getSpanProcessorsFromEnv(undefined);
  sdkNode.core.setGlobalErrorHandler(logExportErrorOnce);
  const sdk = new sdkNode.NodeSDK({
    serviceName,
    resource,
    spanProcessors: processors,
    instrumentations,
  });
  sdk.start();
  running = { sdk, spanProcessor: fanOut(processors), resource, serviceName };
}

/** One processor that hands every span to all the configured ones (the workflow-span sink takes one). */
function fanOut(processors: SpanProcessor[]): SpanProcessor {
  if (processors.length === 1) return processors[0];
  return {
    onStart: (span, parent) => processors.forEach((p) => p.onStart(span, parent)),
    onEnd: (span) => processors.forEach((p) => p.onEnd(span)),
    forceFlush: async () => void (await Promise.all(processors.map((p) => p.forceFlush()))),
    shutdown: async () => void (await Promise.all(processors.map((p) => p.shutdown()))),
  };
}

let exportErrorLogged = false;

/**
 * The SDK reports each failed export (and other internal errors) here: the first is logged with the reason, the rest
 * are dropped, so a collector that is down costs one line, not one per batch.
 */
function logExportErrorOnce(error: unknown): void {
  if (exportErrorLogged) return;
  exportErrorLogged = true;
  // required here, not at the top: pino must load after its instrumentation is registered
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
  const { createLogger } = require('./logger') as typeof import('./logger');
  const fields = {
    err: error instanceof Error ? error.message : String(error),
    service: running?.serviceName,
  };
  // outside any trace: the export runs in whatever context its timer was set in, which is not this line's
  context.with(ROOT_CONTEXT, () =>
    createLogger('telemetry').warn(
      fields,
      'trace export failed; spans are dropped while the collector is unreachable (further export errors are not logged)',
    ),
  );
}

/** The span processor and resource of this process's SDK, for the worker's workflow-span sink; undefined when off. */
export function workflowSpanSink(): { spanProcessor: SpanProcessor; resource: Resource } | undefined {
  return running && { spanProcessor: running.spanProcessor, resource: running.resource };
}

/** Flushes the spans still queued (bounded: a down collector never holds a stopping process). */
export async function shutdownTelemetry(timeoutMs = 3_000): Promise<void> {
  const current = running;
  if (!current) return;
  running = undefined;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    current.sdk.shutdown().catch(() => undefined),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
  ]);
  clearTimeout(timer);
}

/**
 * The active trace context as W3C headers (`traceparent`, `tracestate` when set), for the outbox row the current
 * transaction writes; empty when tracing is off or no span is active.
 */
export function traceHeaders(): Record<string, string> {
  if (!running) return {};
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-([\da-f]{16})-[\da-f]{2}$/;

/** The trace id a W3C traceparent names; undefined for a missing or malformed one. */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  const match = traceparent === undefined ? null : TRACEPARENT.exec(traceparent.trim());
  return match && !/^0+$/.test(match[1]) ? match[1] : undefined;
}

/**
 * Where a person opens trace `traceId`: DTX_TRACE_UI_URL (a `{traceId}` template or a Zipkin base URL), else the
 * Zipkin the spans are exported to; undefined when no viewer is known.
 */
export function traceUrl(
  config: Pick<Config, 'tracing'>,
  traceId: string,
  env: Record<string, string | undefined> = process.env,
): string | undefined {
  let base = config.tracing.uiUrl;
  if (base === undefined && /(^|,)\s*zipkin\s*(,|$)/.test(env.OTEL_TRACES_EXPORTER ?? '')) {
    try {
      base = new URL(env.OTEL_EXPORTER_ZIPKIN_ENDPOINT ?? 'http://localhost:9411/api/v2/spans').origin;
    } catch {
      return undefined;
    }
  }
  if (base === undefined) return undefined;
  if (base.includes('{traceId}')) return base.replace('{traceId}', traceId);
  return `${base.replace(/\/+$/, '')}/zipkin/traces/${traceId}`;
}
