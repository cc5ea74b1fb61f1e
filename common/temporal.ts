/** Temporal connection options from the typed config, one place for the worker, the API, the CLI and scripts. */
import * as fs from 'node:fs';
import type { ClientInterceptors, TLSConfig } from '@temporalio/client';
import type { Config } from './config';
import { tracingActive } from './telemetry';

/** The options NativeConnection (worker) and Connection (client) share. */
export interface TemporalConnectionOptions {
  address: string;
  /** mTLS with the configured client cert/key; plain TLS when only an API key is set (Temporal Cloud). */
  tls?: TLSConfig | boolean;
  apiKey?: string;
}

/** For `NativeConnection.connect(...)` and `Connection.connect(...)`; pair with `config.temporal.namespace`. */
export function temporalConnectionOptions(config: Pick<Config, 'temporal'>): TemporalConnectionOptions {
  const { address, tls, apiKey } = config.temporal;
  const options: TemporalConnectionOptions = { address };
  if (tls) {
    options.tls = {
      clientCertPair: { crt: fs.readFileSync(tls.certPath), key: fs.readFileSync(tls.keyPath) },
    };
  } else if (apiKey) {
    options.tls = true;
  }
  if (apiKey) options.apiKey = apiKey;
  return options;
}

/**
 * Interceptors of a Temporal Client (API, CLI): OpenTelemetry's when tracing is on (a span per workflow start,
 * signal, query..., its context passed to the workflow in its headers); none when off.
 */
export function temporalClientInterceptors(): ClientInterceptors | undefined {
  if (!tracingActive()) return undefined;
  const otel =
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when tracing is on
    require('@temporalio/interceptors-opentelemetry/lib/client') as typeof import('@temporalio/interceptors-opentelemetry/lib/client');
  return { workflow: [new otel.OpenTelemetryWorkflowClientInterceptor()] };
}
