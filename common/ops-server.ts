/**
 * The ops HTTP server every long-running part runs (the API serves the same paths on its own port):
 * - `GET /metrics`: Prometheus text of prom-client's DEFAULT registry (every part registers its metrics there), plus
 *   any extra exposition the part adds (the worker: the Temporal SDK core's own scrape);
 * - `GET /healthz`: the process answers (liveness);
 * - `GET /readyz`: 200 when every dependency check passes, else 503 with each check and the error of those that fail.
 * A port already taken fails the start with an OpsPortInUseError that names the port and the variable that moves it.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, register } from 'prom-client';
import { OPS_PORT_VARIABLES, type Config, type OpsPart } from './config';
import type { Logger } from './logger';

/** One readiness check: resolves when its dependency answers, throws (or resolves false) when it does not. */
export type ReadinessCheck = () => Promise<boolean | void>;

export interface CheckResult {
  name: string;
  ok: boolean;
  error?: string;
}

export interface OpsServerOptions {
  /** The part, e.g. `worker` (in logs and errors). */
  part: string;
  host: string;
  /** 0 binds an ephemeral port (tests). */
  port: number;
  /** The variable that sets the port, for the error when it is taken. */
  portVariable: string;
  /** Named readiness checks, run in parallel on every /readyz. */
  checks: Record<string, ReadinessCheck>;
  /** More Prometheus text appended to the registry's (must not repeat its metric names). */
  extraMetrics?: () => Promise<string>;
  /** How long one check may take before it counts as failed (default 2 s). */
  checkTimeoutMs?: number;
  log?: Logger;
}

export interface OpsServer {
  /** The bound port (the real one when asked for 0). */
  port: number;
  /** `http://host:port` */
  url: string;
  close(this: void): Promise<void>;
}

export class OpsPortInUseError extends Error {
  constructor(
    readonly part: string,
    readonly port: number,
    readonly host: string,
    readonly variable: string,
  ) {
    super(
      `the ${part} ops port ${host}:${port} (metrics, health) is already in use: stop what holds it, or move ` +
        `it with ${variable}=<another port> (0: no ops server)`,
    );
    this.name = 'OpsPortInUseError';
  }
}

const DEFAULT_CHECK_TIMEOUT_MS = 2_000;
let defaultMetricsCollected = false;

/** prom-client's process metrics (CPU, memory, event-loop lag, GC), once per process. */
export function collectProcessMetrics(): void {
  if (defaultMetricsCollected) return;
  defaultMetricsCollected = true;
  collectDefaultMetrics();
}

/** Runs the checks in parallel, each bounded by `timeoutMs`. */
export async function runChecks(
  checks: Record<string, ReadinessCheck>,
  timeoutMs = DEFAULT_CHECK_TIMEOUT_MS,
): Promise<{ ready: boolean; checks: CheckResult[] }> {
  const results = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<CheckResult> => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        const answer = await Promise.race([check(), timeout]);
        return answer === false ? { name, ok: false, error: 'not ready' } : { name, ok: true };
      } catch (error) {
        return { name, ok: false, error: error instanceof Error ? error.message : String(error) };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return { ready: results.every((r) => r.ok), checks: results };
}

/** The Prometheus text of the default registry plus the part's extra text. */
export async function metricsText(extraMetrics?: () => Promise<string>): Promise<string> {
  const own = await register.metrics();
  if (!extraMetrics) return own;
  const extra = await extraMetrics();
  return extra === '' ? own : `${own.replace(/\n*$/, '\n')}${extra}`;
}

function send(response: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(text);
}

/** Starts the ops server; resolves once it listens, rejects with OpsPortInUseError when the port is taken. */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  collectProcessMetrics();
  const timeoutMs = options.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const server = http.createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/healthz') return send(response, 200, { status: 'ok' });
    if (path === '/readyz') {
      void runChecks(options.checks, timeoutMs).then((result) => {
        if (!result.ready) options.log?.debug({ checks: result.checks }, `${options.part} not ready`);
        send(response, result.ready ? 200 : 503, { status: result.ready ? 'ready' : 'not ready', ...result });
      });
      return;
    }
    if (path === '/metrics') {
      metricsText(options.extraMetrics).then(
        (text) => {
          response.writeHead(200, { 'content-type': register.contentType });
          response.end(text);
        },
        (error: unknown) => {
          options.log?.warn({ err: error }, 'metrics scrape failed');
          send(response, 500, { error: error instanceof Error ? error.message : String(error) });
        },
      );
      return;
    }
    send(response, 404, { error: `no route ${path} (try /metrics, /healthz, /readyz)` });
  });
  // a scraper's kept-alive connection must not hold the process open at stop
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new OpsPortInUseError(options.part, options.port, options.host, options.portVariable)
          : error,
      );
    };
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${host}:${port}`;
  options.log?.info({ url }, `${options.part} ops server listening (/metrics, /healthz, /readyz)`);
  return {
    port,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The part's ops server on its configured host and port (config.ops); undefined when its port is 0 (none). Options
 * override the config (tests pass port 0 for an ephemeral port through `port`).
 */
export async function startPartOpsServer(
  config: Pick<Config, 'ops'>,
  part: OpsPart,
  options: Pick<OpsServerOptions, 'checks' | 'extraMetrics' | 'log' | 'checkTimeoutMs'> & {
    port?: number;
    host?: string;
  },
): Promise<OpsServer | undefined> {
  const port = options.port ?? config.ops.ports[part];
  if (options.port === undefined && port === 0) return undefined;
  return startOpsServer({
    ...options,
    part,
    host: options.host ?? config.ops.host,
    port,
    portVariable: OPS_PORT_VARIABLES[part],
  });
}
