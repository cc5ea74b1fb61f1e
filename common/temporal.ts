/** Temporal connection options from the typed config, one place for the worker, the API, the CLI and scripts. */
import * as fs from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import type { Config } from './config';

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
