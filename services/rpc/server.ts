/**
 * One gRPC server bootstrap for any dtx service: binds the address, registers grpc.health.v1.Health (SERVING only
 * while the database answers) and wraps every handler in the one interceptor-like place that does logging with
 * tx_id, fault injection, the server-side deadline check and error mapping. Graceful shutdown drains calls.
 *
 * Security (config.grpc, off by default): TLS or mutual TLS on the port, and the admin token that the admin RPCs
 * (clients.ts: ADMIN_METHODS) require when DTX_ADMIN_TOKEN is set.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import * as grpc from '@grpc/grpc-js';
import { HealthImplementation, type ServingStatus } from 'grpc-health-check';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { loadConfig, type GrpcSecurity, type ServiceName } from '../../common/config';
import { ADMIN_METHODS, CALL_METADATA } from './clients';
import { toGrpcStatus } from './errors';
import { faultsFor, fires, parseFaults, type FaultRule } from './faults';
import { GRPC_SERVICE_NAMES, serviceDefinition } from './protos';
import { withCallBudget } from './call-budget';
import { recordCall } from './metrics';

/** What a handler gets besides its request. */
export interface CallContext {
  /** Logger whose every line carries method and tx_id (when the call has one). */
  log: Logger;
  method: string;
  txId?: string;
  /**
   * Headers for the events the call writes: `tx-id`. The trace context (`traceparent`) is added by the outbox writer
   * from the active span (the gRPC instrumentation continues the caller's trace; common/telemetry.ts).
   */
  eventHeaders: Record<string, string>;
}

export type UnaryImpl<Req, Res> = (request: Req, ctx: CallContext) => Promise<Res>;

/** The async handler table of a generated `XxxServiceHandlers` interface (its string index signature dropped). */
export type Handlers<H> = {
  [K in keyof H as string extends K ? never : K]: H[K] extends grpc.handleUnaryCall<infer Req, infer Res>
    ? UnaryImpl<Req, Res>
    : never;
};

export interface GrpcServerOptions {
  service: ServiceName;
  // the handler table is checked against the generated types where it is built (Handlers<...>)
  handlers: Record<string, UnaryImpl<never, unknown>>;
  /** The service's database, pinged for health. */
  db: Knex;
  /** host:port; port 0 binds an ephemeral port (tests). */
  address: string;
  /** DTX_FAULTS spec; the launcher passes config.faults, tests may pass their own. */
  faults: string;
  logger: Logger;
  /** How often the database is pinged for the health status (default 5 s). */
  healthIntervalMs?: number;
  /** TLS and the admin token; default from config (DTX_GRPC_TLS_*, DTX_ADMIN_TOKEN). */
  security?: GrpcSecurity;
}

export interface RunningGrpcServer {
  service: ServiceName;
  /** The bound port (the real one when asked for 0). */
  port: number;
  address: string;
  health: HealthImplementation;
  /** Stops accepting calls, waits up to `graceMs` for in-flight ones, then cuts the rest. */
  shutdown(graceMs?: number): Promise<void>;
}

function deadlineMs(call: grpc.ServerUnaryCall<unknown, unknown>): number {
  const deadline = call.getDeadline();
  return deadline instanceof Date ? deadline.getTime() : deadline;
}

function metadataString(metadata: grpc.Metadata, key: string): string | undefined {
  const value = metadata.get(key)[0];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Server credentials: plaintext, TLS, or mutual TLS (client certificates signed by the CA required). */
function serverCredentials(security: GrpcSecurity): grpc.ServerCredentials {
  const tls = security.tls;
  if (tls === undefined) return grpc.ServerCredentials.createInsecure();
  const ca = tls.caPath === undefined ? null : fs.readFileSync(tls.caPath);
  return grpc.ServerCredentials.createSsl(
    ca,
    [{ cert_chain: fs.readFileSync(tls.certPath), private_key: fs.readFileSync(tls.keyPath) }],
    ca !== null,
  );
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Checks an admin call's token (`authorization: Bearer` or `x-dtx-admin-token`); constant time in its content. */
function adminTokenCheck(token: string): (metadata: grpc.Metadata) => boolean {
  const expected = digest(token);
  return (metadata) => {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(metadataString(metadata, 'authorization') ?? '');
    const presented = bearer?.[1] ?? metadataString(metadata, CALL_METADATA.adminToken);
    return presented !== undefined && timingSafeEqual(digest(presented), expected);
  };
}

/**
 * A call refused by the wrapper, not by its handler: a fault injected, a deadline passed, an admin call without the
 * token.
 */
class WrapperRefusal extends Error {
  constructor(
    readonly code: grpc.status,
    message: string,
  ) {
    super(message);
  }
}

function wrapHandler(
  service: ServiceName,
  method: string,
  impl: UnaryImpl<never, unknown>,
  rules: FaultRule[],
  base: Logger,
  /** Set for an admin RPC when a token is configured: false refuses the call before anything runs. */
  authorized?: (metadata: grpc.Metadata) => boolean,
): grpc.handleUnaryCall<unknown, unknown> {
  const faults = faultsFor(rules, service, method);
  return (call, callback) => {
    const started = Date.now();
    const startedPrecise = performance.now();
    const measure = (code: grpc.status): void =>
      recordCall(service, method, grpc.status[code], (performance.now() - startedPrecise) / 1000);
    const request = call.request as { branch?: { txId?: string; branchId?: string } | null };
    const txId = request.branch?.txId || metadataString(call.metadata, CALL_METADATA.txId);
    const log = base.child({
      method,
      ...(txId ? { tx_id: txId } : {}),
      ...(request.branch?.branchId ? { branch_id: request.branch.branchId } : {}),
    });
    const eventHeaders: Record<string, string> = {
      ...(txId ? { 'tx-id': txId } : {}),
    };

    const run = async (): Promise<unknown> => {
      if (authorized !== undefined && !authorized(call.metadata)) {
        throw new WrapperRefusal(
          grpc.status.UNAUTHENTICATED,
          `${method} is an admin RPC: it needs the admin token (DTX_ADMIN_TOKEN) in the authorization: Bearer ` +
            'or x-dtx-admin-token metadata',
        );
      }
      for (const fault of faults) {
        if (fault.kind === 'delay' && fires(fault)) {
          log.warn({ fault: 'delay', ms: fault.ms }, 'fault injection: delaying call');
          await sleep(fault.ms);
        }
        if (fault.kind === 'fail' && fires(fault)) {
          throw new WrapperRefusal(fault.code, `fault injection: ${fault.codeName}`);
        }
      }
      const deadline = deadlineMs(call);
      if (call.cancelled || deadline <= Date.now()) {
        throw new WrapperRefusal(
          grpc.status.DEADLINE_EXCEEDED,
          'deadline passed before the call started; nothing done',
        );
      }
      const response = await withCallBudget(
        deadline,
        () => impl(call.request as never, { log, method, txId, eventHeaders }),
        service,
      );
      const lose = faults.find((f) => f.kind === 'lose-response' && fires(f));
      if (lose) {
        log.warn({ fault: 'lose-response' }, 'fault injection: committed, dropping the response');
        if (Number.isFinite(deadline)) await sleep(Math.max(0, deadline - Date.now()) + 50);
        throw new WrapperRefusal(grpc.status.UNAVAILABLE, 'fault injection: response lost');
      }
      return response;
    };

    run().then(
      (response) => {
        // debug: one line per answered call would cost every order several log writes (dtx_grpc_server_* count them)
        log.debug({ ms: Date.now() - started, code: 'OK' }, 'call done');
        measure(grpc.status.OK);
        callback(null, response);
      },
      (err: unknown) => {
        const ms = Date.now() - started;
        if (err instanceof WrapperRefusal) {
          log.warn({ ms, code: grpc.status[err.code] }, err.message);
          measure(err.code);
          callback({ code: err.code, details: err.message });
          return;
        }
        const status = toGrpcStatus(err);
        if (status.typed)
          log.info({ ms, code: grpc.status[status.code], error: status.details }, 'call refused');
        else log.error({ ms, err }, 'call failed: unexpected error');
        measure(status.code);
        callback({ code: status.code, details: status.details, metadata: status.metadata });
      },
    );
  };
}

/** Pings the database every interval and keeps the health status in step; returns a stop function. */
function watchHealth(
  health: HealthImplementation,
  grpcName: string,
  db: Knex,
  intervalMs: number,
  log: Logger,
): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let last: ServingStatus | undefined;
  let lastCheckFailed = false;
  const set = (status: ServingStatus): void => {
    health.setStatus('', status);
    health.setStatus(grpcName, status);
    if (status !== last) log.info({ health: status }, 'health status');
    last = status;
  };
  const check = async (): Promise<void> => {
    let status: ServingStatus = 'NOT_SERVING';
    let pingTimer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        pingTimer = setTimeout(
          () => reject(new Error('database ping timed out')),
          Math.min(intervalMs, 3000),
        );
      });
      await Promise.race([db.raw('select 1'), timeout]);
      status = 'SERVING';
    } catch (err) {
      // warn once per outage (the first failed check included), not on every tick
      if (!lastCheckFailed) log.warn({ err }, 'database does not answer');
    } finally {
      clearTimeout(pingTimer);
    }
    lastCheckFailed = status === 'NOT_SERVING';
    if (stopped) return;
    set(status);
    timer = setTimeout(() => void check(), intervalMs);
    timer.unref();
  };
  set('NOT_SERVING');
  void check();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    set('NOT_SERVING');
  };
}

/** Starts a gRPC server for one service and resolves once it is bound. */
export async function startGrpcServer(options: GrpcServerOptions): Promise<RunningGrpcServer> {
  const { service, logger } = options;
  const security = options.security ?? loadConfig().grpc;
  const adminCheck = security.adminToken === undefined ? undefined : adminTokenCheck(security.adminToken);
  const definition = serviceDefinition(service);
  const methods = Object.keys(definition);
  const rules = parseFaults(options.faults, (s) => Object.keys(serviceDefinition(s)));
  if (rules.length > 0) logger.warn({ faults: options.faults }, 'fault injection enabled (DTX_FAULTS)');

  const implementation: grpc.UntypedServiceImplementation = {};
  for (const method of methods) {
    const impl = options.handlers[method];
    if (!impl) throw new Error(`${service}: no handler for ${method}`);
    const authorized = ADMIN_METHODS[service].includes(method) ? adminCheck : undefined;
    implementation[method] = wrapHandler(service, method, impl, rules, logger, authorized);
  }

  const server = new grpc.Server();
  server.addService(definition, implementation);
  const grpcName = GRPC_SERVICE_NAMES[service];
  const health = new HealthImplementation({ '': 'NOT_SERVING', [grpcName]: 'NOT_SERVING' });
  health.addToServer(server);

  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(options.address, serverCredentials(security), (err, bound) =>
      err ? reject(err) : resolve(bound),
    );
  });
  const host = options.address.slice(0, options.address.lastIndexOf(':'));
  const address = `${host}:${port}`;
  const stopHealth = watchHealth(health, grpcName, options.db, options.healthIntervalMs ?? 5000, logger);
  logger.info(
    { address, tls: security.tls === undefined ? 'off' : security.tls.caPath ? 'mutual' : 'on' },
    `${service} service listening`,
  );

  let stopping: Promise<void> | undefined;
  const shutdown = (graceMs = 10_000): Promise<void> => {
    stopping ??= new Promise<void>((resolve) => {
      stopHealth();
      const timer = setTimeout(() => {
        logger.warn({ graceMs }, 'in-flight calls did not finish in time; forcing shutdown');
        server.forceShutdown();
        resolve();
      }, graceMs);
      server.tryShutdown(() => {
        clearTimeout(timer);
        logger.info('server stopped');
        resolve();
      });
    });
    return stopping;
  };
  return { service, port, address, health, shutdown };
}
