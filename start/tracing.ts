/**
 * `npm start -- --tracing` or DTX_TRACING=1: the stack starts Zipkin (stack/zipkin.ts) and every part exports its spans
 * to it through the standard OTEL_* variables, set here for the parts unless they already name an exporter (your own
 * collector wins).
 */
import type { Config } from '../common/config';
import { tracingConfigured } from '../common/telemetry';
import { zipkinSpansEndpoint } from '../stack';

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
