/**
 * The worker process's Temporal runtime (Runtime.install, once, before any connection): the SDK logs through pino
 * (common/temporal-logger.ts, core logs forwarded, LOG_LEVEL honoured) and the SDK core's metrics, which include the
 * workflows' own (workflow.metricMeter: dtx_transactions_total, dtx_transaction_duration_seconds), on a Prometheus
 * endpoint of core's bound to a private loopback port. The worker's ops server (/metrics) appends that scrape to
 * prom-client's registry, so one scrape shows both.
 */
import * as net from 'node:net';
import { makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import type { Config } from '../../common/config';
import { createLogger } from '../../common/logger';
import { pinoTemporalLogger, temporalLogLevel } from '../../common/temporal-logger';

/** Seconds; the transaction histogram's buckets (a saga takes ~50 ms, a compensated one with retries minutes). */
export const TRANSACTION_DURATION_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800];

export interface WorkerRuntime {
  /** core's Prometheus endpoint (loopback, private: scraped through the worker's ops server). */
  coreMetricsUrl: string;
  /** core's Prometheus text ('' when it does not answer: the ops scrape still shows the rest). */
  scrapeCore(this: void): Promise<string>;
}

/** A free loopback port for core's exporter (core binds it itself and cannot report an ephemeral one back). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Installs the process's Temporal runtime; throws when one is already installed or created. */
export async function installWorkerRuntime(config: Pick<Config, 'logLevel'>): Promise<WorkerRuntime> {
  const level = temporalLogLevel(config.logLevel);
  const port = await freeLoopbackPort();
  const bindAddress = `127.0.0.1:${port}`;
  Runtime.install({
    logger: pinoTemporalLogger(createLogger('temporal')),
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: level, other: level }), forward: {} },
      metrics: {
        metricPrefix: 'temporal_',
        prometheus: {
          bindAddress,
          countersTotalSuffix: true,
          useSecondsForDurations: true,
          histogramBucketOverrides: { dtx_transaction_duration_seconds: TRANSACTION_DURATION_BUCKETS },
        },
      },
    },
  });
  const coreMetricsUrl = `http://${bindAddress}/metrics`;
  return {
    coreMetricsUrl,
    async scrapeCore() {
      try {
        const response = await fetch(coreMetricsUrl, { signal: AbortSignal.timeout(2_000) });
        return response.ok ? await response.text() : '';
      } catch {
        return '';
      }
    },
  };
}
