/**
 * The worker's part of tracing (@temporalio/interceptors-opentelemetry), present only when the process's telemetry
 * is on (common/telemetry.ts): the workflow interceptors (a span per workflow run and per scheduled activity, local
 * ones included, their context passed in the activity's headers), the sink that exports the workflow's spans from
 * outside the sandbox, and the activity interceptors (a span per attempt, the active context for its gRPC call).
 */
import type { ActivityInterceptorsFactory, InjectedSinks } from '@temporalio/worker';
import { workflowSpanSink } from '../../common/telemetry';

export interface WorkerTracing {
  workflowModules: string[];
  activity: ActivityInterceptorsFactory[];
  sinks: InjectedSinks<Record<string, never>>;
}

/** The interceptors and sink to add to the worker; undefined when tracing is off (nothing added, nothing loaded). */
export function workerTracing(): WorkerTracing | undefined {
  const sink = workflowSpanSink();
  if (!sink) return undefined;
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded only when tracing is on */
  const otel =
    require('@temporalio/interceptors-opentelemetry/lib/worker') as typeof import('@temporalio/interceptors-opentelemetry/lib/worker');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return {
    workflowModules: [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')],
    activity: [
      (ctx) => ({
        inbound: new otel.OpenTelemetryActivityInboundInterceptor(ctx),
        outbound: new otel.OpenTelemetryActivityOutboundInterceptor(ctx),
      }),
    ],
    // the workflow interceptors call sink `exporter` (the package's fixed name); the resource is only copied onto the
    // spans, of the same shape in both SDK versions
    sinks: {
      exporter: otel.makeWorkflowExporter(
        upgradingProcessor(sink.spanProcessor) as unknown as WorkflowSpanProcessor,
        sink.resource,
      ),
    } as unknown as InjectedSinks<Record<string, never>>,
  };
}

type SpanProcessor = NonNullable<ReturnType<typeof workflowSpanSink>>['spanProcessor'];
type ReadableSpan = Parameters<SpanProcessor['onEnd']>[0];
type WorkflowSpanProcessor = Parameters<
  typeof import('@temporalio/interceptors-opentelemetry/lib/worker').makeWorkflowExporter
>[0];

/**
 * The workflow's spans arrive in the shape of the interceptors' own OpenTelemetry SDK (1.x: `parentSpanId`,
 * `instrumentationLibrary`); dtx's SDK (2.x) and its exporters read `parentSpanContext` and `instrumentationScope`.
 * Without this, a workflow span loses its parent in the viewer (or fails the OTLP encoding).
 */
function upgradingProcessor(target: SpanProcessor): Pick<
  SpanProcessor,
  'onEnd' | 'forceFlush' | 'shutdown'
> & {
  onStart(): void;
} {
  return {
    onStart: () => undefined,
    onEnd: (span) => target.onEnd(upgradeSpan(span)),
    forceFlush: () => target.forceFlush(),
    shutdown: () => Promise.resolve(),
  };
}

interface V1Fields {
  parentSpanId?: string;
  instrumentationLibrary?: ReadableSpan['instrumentationScope'];
}

function upgradeSpan(span: ReadableSpan): ReadableSpan {
  const old = span as ReadableSpan & V1Fields;
  if (old.parentSpanContext !== undefined || old.instrumentationScope !== undefined) return span;
  const own = span.spanContext();
  // the sink's spans are plain objects (spanContext() among their own fields): a spread keeps them whole
  return {
    ...span,
    instrumentationScope: old.instrumentationLibrary ?? { name: '@temporalio/interceptors-opentelemetry' },
    parentSpanContext: old.parentSpanId
      ? { traceId: own.traceId, spanId: old.parentSpanId, traceFlags: own.traceFlags, isRemote: false }
      : undefined,
  };
}
