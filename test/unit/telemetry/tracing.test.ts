/**
 * common/telemetry.ts without servers: when tracing counts as configured (OTEL_* only), trace ids from traceparents,
 * trace links, and that with tracing off nothing is added (no trace headers for the outbox, no relay spans).
 */
import type { TopicMessages } from 'kafkajs';
import { loadConfig } from '../../../common/config';
import {
  traceHeaders,
  traceIdOf,
  traceUrl,
  tracingActive,
  tracingConfigured,
} from '../../../common/telemetry';
import { startSendSpans } from '../../../workers/relay/tracing';

describe('tracingConfigured: an exporter named by OTEL_* only', () => {
  test.each([
    [{}, false],
    [{ OTEL_TRACES_EXPORTER: 'none' }, false],
    [{ OTEL_TRACES_EXPORTER: '' }, false],
    [{ OTEL_EXPORTER_ZIPKIN_ENDPOINT: 'http://127.0.0.1:9411/api/v2/spans' }, false],
    [{ OTEL_TRACES_EXPORTER: 'zipkin' }, true],
    [{ OTEL_TRACES_EXPORTER: 'otlp,zipkin' }, true],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, true],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }, true],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none' }, false],
    [{ OTEL_TRACES_EXPORTER: 'zipkin', OTEL_SDK_DISABLED: 'true' }, false],
  ])('%j -> %s', (env, expected) => {
    expect(tracingConfigured(env)).toBe(expected);
  });
});

test('traceIdOf: the trace id of a W3C traceparent; nothing for a malformed or all-zero one', () => {
  expect(traceIdOf('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toBe(
    '4bf92f3577b34da6a3ce929d0e0e4736',
  );
  expect(traceIdOf(undefined)).toBeUndefined();
  expect(traceIdOf('00-abc-def-01')).toBeUndefined();
  expect(traceIdOf(`00-${'0'.repeat(32)}-00f067aa0ba902b7-01`)).toBeUndefined();
});

describe('traceUrl', () => {
  const id = '4bf92f3577b34da6a3ce929d0e0e4736';
  test('the local Zipkin with DTX_TRACING', () => {
    expect(traceUrl(loadConfig({ DTX_TRACING: '1' }), id, {})).toBe(
      `http://127.0.0.1:9411/zipkin/traces/${id}`,
    );
  });
  test('a DTX_TRACE_UI_URL template', () => {
    const config = loadConfig({ DTX_TRACE_UI_URL: 'https://jaeger.example/trace/{traceId}' });
    expect(traceUrl(config, id, {})).toBe(`https://jaeger.example/trace/${id}`);
  });
  test('the Zipkin the spans are exported to, else none', () => {
    const config = loadConfig({});
    const env = {
      OTEL_TRACES_EXPORTER: 'zipkin',
      OTEL_EXPORTER_ZIPKIN_ENDPOINT: 'http://zipkin.local:9411/api/v2/spans',
    };
    expect(traceUrl(config, id, env)).toBe(`http://zipkin.local:9411/zipkin/traces/${id}`);
    expect(traceUrl(config, id, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBeUndefined();
  });
});

test('tracing off (this process): no trace headers for the outbox, the relay leaves messages as they are', () => {
  expect(tracingActive()).toBe(false);
  expect(traceHeaders()).toEqual({});
  const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
  const batch: TopicMessages[] = [
    { topic: 't', messages: [{ key: 'k', value: 'v', headers: { traceparent } }] },
  ];
  expect(startSendSpans(batch)).toBeUndefined();
  expect(batch[0].messages[0].headers).toEqual({ traceparent });
});

test('DTX_TRACING, DTX_ZIPKIN_PORT and DTX_TRACE_UI_URL are validated with the variable named', () => {
  expect(() => loadConfig({ DTX_TRACING: 'maybe' })).toThrow(/DTX_TRACING/);
  expect(() => loadConfig({ DTX_ZIPKIN_PORT: '70000' })).toThrow(/DTX_ZIPKIN_PORT/);
  expect(() => loadConfig({ DTX_TRACE_UI_URL: 'ftp://x' })).toThrow(/DTX_TRACE_UI_URL/);
  expect(loadConfig({ DTX_TRACING: '1', DTX_ZIPKIN_PORT: '9511' }).tracing).toEqual({
    enabled: true,
    zipkinPort: 9511,
    uiUrl: 'http://127.0.0.1:9511',
  });
});
