/**
 * The one typed config module: reads every env var dtx has (CONFIG_SECTIONS below), defaults = the local stack.
 * Invalid values are rejected at start with the variable's name (ConfigError).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from './paths';

/** The four domain services; each also names the one aggregate type whose events it publishes (outbox/topics.ts). */
export const SERVICE_NAMES = ['order', 'inventory', 'coupon', 'payment'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];
/** Every database dtx owns: one per service, the timeline projector's, and the API's (its idempotency records). */
export const DATABASE_NAMES = [...SERVICE_NAMES, 'timeline', 'api'] as const;
export type DatabaseName = (typeof DATABASE_NAMES)[number];
const DATABASE_OWNERS: Record<DatabaseName, string> = {
  order: 'order service',
  inventory: 'inventory service',
  coupon: 'coupon service',
  payment: 'payment service',
  timeline: 'timeline projector',
  api: 'HTTP API (Idempotency-Key records)',
};

/** The processes with an ops port (/metrics, /healthz, /readyz); the API serves them on its own port. */
export const OPS_PARTS = ['services', 'worker', 'relay', 'projector'] as const;
export type OpsPart = (typeof OPS_PARTS)[number];
/** The variable that sets (moves) each part's ops port. */
export const OPS_PORT_VARIABLES: Record<OpsPart, string> = {
  services: 'DTX_SERVICES_OPS_PORT',
  worker: 'DTX_WORKER_OPS_PORT',
  relay: 'DTX_RELAY_OPS_PORT',
  projector: 'DTX_PROJECTOR_OPS_PORT',
};
const DEFAULT_OPS_PORTS: Record<OpsPart, number> = {
  services: 9431,
  worker: 9432,
  relay: 9433,
  projector: 9434,
};

const DEFAULT_SERVICE_PORTS: Record<ServiceName, number> = {
  order: 50051,
  inventory: 50052,
  coupon: 50053,
  payment: 50054,
};

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`${variable}: ${reason}`);
    this.name = 'ConfigError';
  }
}

export type Env = Record<string, string | undefined>;

/** Async payments (issue 14). */
export interface AsyncPaymentConfig {
  /** DTX_PAYMENT_TIMEOUT_MS: the wait for a provider's result, given to each new async-payment transaction. */
  timeoutMs: number;
  /** DTX_PROVIDER_DELAY_MS: the simulator reports this long after a PaymentPending. */
  providerDelayMs: number;
  /** DTX_PROVIDER_DECLINE_ABOVE: the simulator declines larger amounts (0: none). */
  providerDeclineAbove: number;
}

export interface Config {
  temporal: {
    address: string;
    /**
     * TEMPORAL_NAMESPACE (default `default`; npm test uses `dtx-test`). Letters, digits, `.`, `-`, `_`; the stack
     * registers it (and the search attributes in it) when a local server lacks it.
     */
    namespace: string;
    uiUrl: string;
    /** mTLS client cert/key paths (Temporal Cloud or a TLS cluster). */
    tls?: { certPath: string; keyPath: string };
    apiKey?: string;
  };
  kafka: {
    brokers: string[];
    clientId: string;
    ssl: boolean;
    sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
    /** Partitions of the topics dtx creates (KAFKA_TOPIC_PARTITIONS). */
    topicPartitions: number;
    /** Replication factor of the topics dtx creates (KAFKA_TOPIC_REPLICATION). */
    topicReplicationFactor: number;
    /**
     * DTX_KAFKA_PREFIX (default none; npm test uses `test.`): put before every Kafka name dtx derives, the event
     * topics (`<prefix>dtx.<aggregate>.events`) and the timeline projector's consumer group, so two deployments
     * (or the tests and a running dtx) can share one cluster. Letters, digits, `.` and `-` (no `_`: Kafka treats
     * `.` and `_` in topic names as colliding).
     */
    namePrefix: string;
  };
  /** Server URL of the PostgreSQL that holds the dtx databases (DTX_PG_URL; its path is the admin database). */
  postgresServerUrl: string;
  /**
   * DTX_DB_PREFIX (default none; npm test uses `test_`): put before every database name dtx derives, so database
   * `<db>` is `<prefix>dtx_<db>` on DTX_PG_URL's server. Lower-case letters, digits and `_`, not starting with a
   * digit. An explicit DTX_<DB>_DB_URL wins over it.
   */
  databasePrefix: string;
  /** Connection URL of each database (DTX_<DB>_DB_URL, default `<prefix>dtx_<db>` on DTX_PG_URL's server). */
  databases: Record<DatabaseName, string>;
  /** host:port of each gRPC service. */
  serviceAddresses: Record<ServiceName, string>;
  /**
   * Security of the services' gRPC ports, the same settings for the servers and every client (activities, API, CLI,
   * seed); all off by default (the local stack binds 127.0.0.1).
   */
  grpc: GrpcSecurity;
  api: { host: string; port: number; apiKey?: string; admission: AdmissionConfig };
  worker: { maxConcurrentActivities: number; maxConcurrentWorkflowTasks: number };
  /**
   * Each long-running part's ops HTTP server (common/ops-server.ts): Prometheus `/metrics`, `/healthz`, `/readyz`.
   * DTX_OPS_HOST (default 127.0.0.1) and DTX_<PART>_OPS_PORT; port 0 = no ops server for that part.
   */
  ops: { host: string; ports: Record<OpsPart, number> };
  /** TCC: how long all tries together may take (DTX_TCC_TRY_TIMEOUT_MS); passed to each new transaction. */
  tccTryTimeoutMs: number;
  /** Async payments (issue 14): the wait of a transaction, and the payment provider simulator's rule. */
  asyncPayment: AsyncPaymentConfig;
  /** The worker's gRPC calls to the services: per-attempt deadline and hedge (DTX_CALL_*). */
  calls: CallsConfig;
  /** The worker's circuit breaker per service (DTX_BREAKER_*; activities/breakers.ts). */
  breaker: BreakerConfig;
  /** Downloaded/built tools, shared by all clones. */
  cacheDir: string;
  /** Runtime data and logs of this checkout. */
  dataDir: string;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
  /**
   * DTX_LOG_FILE: append the JSON log lines to this file instead of stdout (default: stdout). Tests set it per
   * test file (test/artifacts/logs/) so a passing run stays quiet and a failing one can show its own logs.
   */
  logFile?: string;
  /** Raw DTX_FAULTS spec; parsed by the services' fault injector. Empty = off. */
  faults: string;
  /** Days a tx_barrier row is kept before the services' cleanup job deletes it (DTX_BARRIER_RETENTION_DAYS). */
  barrierRetentionDays: number;
  /** Days the API keeps an Idempotency-Key record (DTX_IDEMPOTENCY_RETENTION_DAYS); never shorter than the barrier's. */
  idempotencyRetentionDays: number;
  /** The outbox relay (workers/outbox-relay.ts). */
  relay: RelayConfig;
  /**
   * The local trace viewer (stack component `zipkin`) and the trace links dtx prints. What is exported, and where,
   * is set by the standard OTEL_* variables only (common/telemetry.ts); DTX_TRACING makes `npm start` set them.
   */
  tracing: TracingConfig;
}

export interface TracingConfig {
  /** DTX_TRACING: `npm start` (and `dtx stack up`) starts Zipkin and exports every part's spans to it. */
  enabled: boolean;
  /** DTX_ZIPKIN_PORT: the local Zipkin's port on 127.0.0.1 (UI and /api/v2/spans). */
  zipkinPort: number;
  /**
   * DTX_TRACE_UI_URL: where a person opens a trace: a URL with `{traceId}` in it, or a Zipkin base URL. Default:
   * the local Zipkin when DTX_TRACING is on, else none (a Zipkin export endpoint is used when one is set).
   */
  uiUrl?: string;
}

/** Admission of requests to the HTTP API (api/http/rate-limit.ts) and of new orders (api/operations/admission.ts). */
export interface AdmissionConfig {
  /**
   * Per-client token buckets (client = the API key a request presents, else its address): `rate` tokens a second
   * refill a bucket of `burst`; each request takes one. Writes (POST, …) and reads (GET) have separate buckets.
   * rate 0 = no per-client limit of that kind.
   */
  write: { rate: number; burst: number };
  read: { rate: number; burst: number };
  /** At most this many order transactions in flight (DTX_API_MAX_IN_FLIGHT); always on. */
  maxInFlight: number;
  /** How old the in-flight count (Temporal visibility) may be before an admission asks again. */
  inFlightRefreshMs: number;
}

export interface GrpcSecurity {
  /**
   * DTX_GRPC_TLS_CERT + DTX_GRPC_TLS_KEY (PEM files): the services serve TLS with this certificate, and clients
   * require TLS. DTX_GRPC_TLS_CA (PEM) adds mutual TLS: the servers ask every caller for a certificate signed by it,
   * clients trust it for the servers' certificates and present the same certificate and key. Without it clients
   * verify the servers against the system's CAs (or GRPC_DEFAULT_SSL_ROOTS_FILE_PATH).
   */
  tls?: { certPath: string; keyPath: string; caPath?: string };
  /**
   * DTX_ADMIN_TOKEN: when set, the admin RPCs (Credit, SetStock, IssueCoupon, UpsertProduct) need it in the
   * `authorization: Bearer <token>` or `x-dtx-admin-token` metadata (else UNAUTHENTICATED); clients send it on those
   * calls only. The business RPCs of the transactions never need it.
   */
  adminToken?: string;
}

export interface CallsConfig {
  /** Deadline of one attempt of a gRPC call (DTX_CALL_DEADLINE_MS); the workflow retries within its own budget. */
  deadlineMs: number;
  /** A second, identical call is sent when the first has not answered after this long (DTX_CALL_HEDGE_AFTER_MS; 0 = never). */
  hedgeAfterMs: number;
}

export interface BreakerConfig {
  /** DTX_BREAKER_ENABLED (default true). */
  enabled: boolean;
  /** Share of transient failures (0..1, exclusive) over the window that opens the breaker (DTX_BREAKER_FAILURE_RATE). */
  failureRate: number;
  /** Sliding window of the failure rate (DTX_BREAKER_WINDOW_MS). */
  windowMs: number;
  /** Calls the window must hold before the rate can open the breaker (DTX_BREAKER_MIN_CALLS). */
  minimumCalls: number;
  /** Open → one probe after this long (DTX_BREAKER_COOLDOWN_MS). */
  cooldownMs: number;
  /**
   * Ops servers of the workers whose breakers the API consults before it admits an order and `dtx breakers` shows
   * (DTX_BREAKER_WATCH_URLS; empty with `off`).
   */
  watchUrls: string[];
}

export interface RelayConfig {
  /** Databases whose outbox the relay drains (DTX_RELAY_DB_URLS, comma-separated); default: the four service databases. */
  databaseUrls: string[];
  /** Fallback poll interval when no NOTIFY arrives (DTX_RELAY_POLL_MS). */
  pollIntervalMs: number;
  /** Rows claimed per round trip (DTX_RELAY_BATCH). */
  batchSize: number;
  /** After a NOTIFY wakes an idle relay loop, how long it waits for more commits before it claims (DTX_RELAY_LINGER_MS). */
  lingerMs: number;
  /** Claim→send→mark loops per database, each with its own producer, overlapping each other (DTX_RELAY_WORKERS). */
  workersPerDatabase: number;
  /** Send attempts before a row is marked dead (DTX_RELAY_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** Sent rows older than this are deleted (DTX_RELAY_RETENTION_HOURS). */
  retentionHours: number;
  /** How long a claim is held before another relay may take the rows over (DTX_RELAY_LEASE_MS). */
  claimLeaseMs: number;
  /** First retry delay of a failed row; doubles per attempt (DTX_RELAY_BACKOFF_BASE_MS). */
  backoffBaseMs: number;
  /** Cap of the retry delay (DTX_RELAY_BACKOFF_MAX_MS). */
  backoffMaxMs: number;
  /** How often the relay logs its lag (DTX_RELAY_LAG_LOG_MS; 0 = never). */
  lagLogIntervalMs: number;
  /** Days a consumer's inbox rows are kept (DTX_INBOX_RETENTION_DAYS); the dedup window of redeliveries. */
  inboxRetentionDays: number;
}

function str(env: Env, name: string, fallback: string): string {
  const value = env[name];
  return value === undefined || value === '' ? fallback : value;
}

function optional(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

export function int(
  env: Env,
  name: string,
  fallback: number,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(name, `must be an integer, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max)
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

export function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function hostPort(env: Env, name: string, fallback: string): string {
  const value = str(env, name, fallback);
  const match = /^(\[[^\]]+\]|[^:\s]+):(\d{1,5})$/.exec(value);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535) {
    throw new ConfigError(name, `must be host:port, got "${value}"`);
  }
  return value;
}

function url(env: Env, name: string, fallback: string, protocols: string[]): string {
  const value = str(env, name, fallback);
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(name, `must be a URL, got "${value}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
  }
  return value;
}

/** The server URL with a database name in place of its path. */
function withDatabase(serverUrl: string, database: string): string {
  const parsed = new URL(serverUrl);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** An optional prefix of names dtx derives: empty, or `pattern` and at most `maxLength` characters. */
function prefix(env: Env, name: string, pattern: RegExp, rule: string, maxLength: number): string {
  const value = str(env, name, '');
  if (value !== '' && (!pattern.test(value) || value.length > maxLength)) {
    throw new ConfigError(name, `must be ${rule}, at most ${maxLength} characters, got "${value}"`);
  }
  return value;
}

/** A PEM file the process must be able to read, else a ConfigError naming the variable. */
function readableFile(env: Env, name: string): string | undefined {
  const value = optional(env, name);
  if (value === undefined) return undefined;
  const file = path.resolve(value);
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch {
    throw new ConfigError(name, `cannot read the file "${value}"`);
  }
  return file;
}

/** DTX_GRPC_TLS_* and DTX_ADMIN_TOKEN (see GrpcSecurity). */
function grpcSecurity(env: Env): GrpcSecurity {
  const certPath = readableFile(env, 'DTX_GRPC_TLS_CERT');
  const keyPath = readableFile(env, 'DTX_GRPC_TLS_KEY');
  const caPath = readableFile(env, 'DTX_GRPC_TLS_CA');
  if (certPath !== undefined && keyPath === undefined)
    throw new ConfigError('DTX_GRPC_TLS_KEY', 'required when DTX_GRPC_TLS_CERT is set');
  if (keyPath !== undefined && certPath === undefined)
    throw new ConfigError('DTX_GRPC_TLS_CERT', 'required when DTX_GRPC_TLS_KEY is set');
  if (caPath !== undefined && certPath === undefined) {
    throw new ConfigError(
      'DTX_GRPC_TLS_CERT',
      'required when DTX_GRPC_TLS_CA is set (mutual TLS needs a certificate and key)',
    );
  }
  const adminToken = optional(env, 'DTX_ADMIN_TOKEN');
  // a guessable token would guard money-moving RPCs in name only
  if (adminToken !== undefined && adminToken.length < 16)
    throw new ConfigError('DTX_ADMIN_TOKEN', 'must be at least 16 characters');
  return {
    ...(certPath !== undefined && keyPath !== undefined
      ? { tls: { certPath, keyPath, ...(caPath !== undefined ? { caPath } : {}) } }
      : {}),
    ...(adminToken !== undefined ? { adminToken } : {}),
  };
}

/** TEMPORAL_NAMESPACE: the characters Temporal (and Temporal Cloud's `<name>.<account>`) namespace names use. */
function namespace(env: Env, name: string, fallback: string): string {
  const value = str(env, name, fallback);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{1,254}$/.test(value)) {
    throw new ConfigError(
      name,
      `must be 2-255 letters, digits, ".", "-" or "_", starting with a letter or digit, got "${value}"`,
    );
  }
  return value;
}

function oneOf<T extends string>(env: Env, name: string, fallback: T, allowed: readonly T[]): T {
  const value = str(env, name, fallback);
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${value}"`);
  }
  return value as T;
}

export function loadConfig(env: Env = process.env): Config {
  const certPath = optional(env, 'TEMPORAL_TLS_CERT');
  const keyPath = optional(env, 'TEMPORAL_TLS_KEY');
  if ((certPath === undefined) !== (keyPath === undefined)) {
    throw new ConfigError(
      certPath ? 'TEMPORAL_TLS_KEY' : 'TEMPORAL_TLS_CERT',
      'TLS needs both TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY',
    );
  }

  const brokers = str(env, 'KAFKA_BROKERS', '127.0.0.1:9092')
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');
  if (brokers.length === 0) throw new ConfigError('KAFKA_BROKERS', 'must list at least one host:port');
  brokers.forEach((b) => hostPort({ KAFKA_BROKERS: b }, 'KAFKA_BROKERS', b));
  const saslMechanism = optional(env, 'KAFKA_SASL_MECHANISM');
  let sasl: Config['kafka']['sasl'];
  if (saslMechanism !== undefined) {
    const mechanism = oneOf(env, 'KAFKA_SASL_MECHANISM', 'plain', [
      'plain',
      'scram-sha-256',
      'scram-sha-512',
    ]);
    const username = optional(env, 'KAFKA_SASL_USERNAME');
    const password = optional(env, 'KAFKA_SASL_PASSWORD');
    if (!username) throw new ConfigError('KAFKA_SASL_USERNAME', 'required when KAFKA_SASL_MECHANISM is set');
    if (!password) throw new ConfigError('KAFKA_SASL_PASSWORD', 'required when KAFKA_SASL_MECHANISM is set');
    sasl = { mechanism, username, password };
  }

  const pgServer = url(env, 'DTX_PG_URL', 'postgres://postgres@127.0.0.1:5433/postgres', [
    'postgres:',
    'postgresql:',
  ]);
  // PostgreSQL folds unquoted names to lower case and allows 63 bytes (the longest default name is 12)
  const databasePrefix = prefix(
    env,
    'DTX_DB_PREFIX',
    /^[a-z_][a-z0-9_]*$/,
    'lower-case letters, digits and "_", not starting with a digit',
    40,
  );
  const databases = Object.fromEntries(
    DATABASE_NAMES.map((db) => {
      const variable = `DTX_${db.toUpperCase()}_DB_URL`;
      const fallback = withDatabase(pgServer, `${databasePrefix}dtx_${db}`);
      return [db, url(env, variable, fallback, ['postgres:', 'postgresql:'])];
    }),
  ) as Record<DatabaseName, string>;

  const serviceAddresses = Object.fromEntries(
    SERVICE_NAMES.map((s) => [
      s,
      hostPort(env, `DTX_${s.toUpperCase()}_ADDR`, `127.0.0.1:${DEFAULT_SERVICE_PORTS[s]}`),
    ]),
  ) as Record<ServiceName, string>;

  const logFile = optional(env, 'DTX_LOG_FILE');

  const barrierRetentionDays = int(env, 'DTX_BARRIER_RETENTION_DAYS', 7, 1, 3650);
  // an Idempotency-Key forgotten before the barrier rows would let another body reach the services under old ids
  const idempotencyRetentionDays = int(env, 'DTX_IDEMPOTENCY_RETENTION_DAYS', 30, 1, 3650);
  if (idempotencyRetentionDays < barrierRetentionDays) {
    throw new ConfigError(
      'DTX_IDEMPOTENCY_RETENTION_DAYS',
      `must be >= DTX_BARRIER_RETENTION_DAYS (${barrierRetentionDays})`,
    );
  }
  return {
    temporal: {
      address: hostPort(env, 'TEMPORAL_ADDRESS', '127.0.0.1:7233'),
      namespace: namespace(env, 'TEMPORAL_NAMESPACE', 'default'),
      uiUrl: url(env, 'TEMPORAL_UI_URL', 'http://127.0.0.1:8233', ['http:', 'https:']).replace(/\/$/, ''),
      tls: certPath && keyPath ? { certPath, keyPath } : undefined,
      apiKey: optional(env, 'TEMPORAL_API_KEY'),
    },
    kafka: {
      brokers,
      clientId: str(env, 'KAFKA_CLIENT_ID', 'dtx'),
      ssl: bool(env, 'KAFKA_SSL', false),
      sasl,
      topicPartitions: int(env, 'KAFKA_TOPIC_PARTITIONS', 3, 1, 1000),
      topicReplicationFactor: int(env, 'KAFKA_TOPIC_REPLICATION', 1, 1, 10),
      namePrefix: prefix(env, 'DTX_KAFKA_PREFIX', /^[A-Za-z0-9.-]+$/, 'letters, digits, "." and "-"', 100),
    },
    postgresServerUrl: pgServer,
    databasePrefix,
    databases,
    serviceAddresses,
    grpc: grpcSecurity(env),
    api: {
      host: str(env, 'DTX_API_HOST', '127.0.0.1'),
      port: int(env, 'DTX_API_PORT', 8080, 1, 65535),
      apiKey: optional(env, 'DTX_API_KEY'),
      admission: loadAdmission(env),
    },
    worker: {
      maxConcurrentActivities: int(env, 'DTX_WORKER_MAX_ACTIVITIES', 100, 1, 10000),
      maxConcurrentWorkflowTasks: int(env, 'DTX_WORKER_MAX_WORKFLOW_TASKS', 40, 1, 10000),
    },
    ops: {
      host: str(env, 'DTX_OPS_HOST', '127.0.0.1'),
      ports: Object.fromEntries(
        OPS_PARTS.map((part) => [
          part,
          int(env, OPS_PORT_VARIABLES[part], DEFAULT_OPS_PORTS[part], 0, 65535),
        ]),
      ) as Record<OpsPart, number>,
    },
    tccTryTimeoutMs: int(env, 'DTX_TCC_TRY_TIMEOUT_MS', 10_000, 100, 3_600_000),
    asyncPayment: {
      timeoutMs: int(env, 'DTX_PAYMENT_TIMEOUT_MS', 60_000, 100, 86_400_000),
      providerDelayMs: int(env, 'DTX_PROVIDER_DELAY_MS', 2_000, 0, 3_600_000),
      providerDeclineAbove: int(env, 'DTX_PROVIDER_DECLINE_ABOVE', 0, 0, Number.MAX_SAFE_INTEGER),
    },
    calls: loadCallsConfig(env),
    breaker: loadBreakerConfig(env),
    cacheDir: path.resolve(str(env, 'DTX_CACHE', path.join(os.homedir(), '.cache', 'dtx'))),
    dataDir: path.resolve(REPO_ROOT, str(env, 'DTX_DATA', path.join(REPO_ROOT, '.dtx'))),
    logLevel: oneOf(env, 'LOG_LEVEL', 'info', ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']),
    logFile: logFile === undefined ? undefined : path.resolve(logFile),
    faults: str(env, 'DTX_FAULTS', ''),
    barrierRetentionDays,
    idempotencyRetentionDays,
    relay: loadRelayConfig(env, databases),
    tracing: loadTracingConfig(env),
  };
}

function loadTracingConfig(env: Env): TracingConfig {
  const enabled = bool(env, 'DTX_TRACING', false);
  const zipkinPort = int(env, 'DTX_ZIPKIN_PORT', 9411, 1, 65535);
  const fallback = enabled ? `http://127.0.0.1:${zipkinPort}` : '';
  const uiUrl = str(env, 'DTX_TRACE_UI_URL', fallback);
  return {
    enabled,
    zipkinPort,
    uiUrl:
      uiUrl === ''
        ? undefined
        : url({ DTX_TRACE_UI_URL: uiUrl }, 'DTX_TRACE_UI_URL', uiUrl, ['http:', 'https:']),
  };
}

/** A number strictly between 0 and 1 (a rate). */
function fraction(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\s*\d*\.?\d+\s*$/.test(raw) || !(value > 0 && value < 1))
    throw new ConfigError(name, `must be a number between 0 and 1 (exclusive), got "${raw}"`);
  return value;
}

function loadCallsConfig(env: Env): CallsConfig {
  const deadlineMs = int(env, 'DTX_CALL_DEADLINE_MS', 2_000, 50, 60_000);
  const hedgeAfterMs = int(env, 'DTX_CALL_HEDGE_AFTER_MS', 250, 0, 60_000);
  if (hedgeAfterMs >= deadlineMs)
    throw new ConfigError(
      'DTX_CALL_HEDGE_AFTER_MS',
      `must be below DTX_CALL_DEADLINE_MS (${deadlineMs}), or 0`,
    );
  return { deadlineMs, hedgeAfterMs };
}

/** DTX_BREAKER_WATCH_URLS: comma-separated http(s) URLs, or `off`. */
function watchUrls(env: Env): string[] {
  const raw = str(env, 'DTX_BREAKER_WATCH_URLS', 'http://127.0.0.1:9432');
  if (raw.trim().toLowerCase() === 'off') return [];
  return raw
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '')
    .map((u) =>
      url({ DTX_BREAKER_WATCH_URLS: u }, 'DTX_BREAKER_WATCH_URLS', u, ['http:', 'https:']).replace(/\/$/, ''),
    );
}

function loadBreakerConfig(env: Env): BreakerConfig {
  return {
    enabled: bool(env, 'DTX_BREAKER_ENABLED', true),
    failureRate: fraction(env, 'DTX_BREAKER_FAILURE_RATE', 0.8),
    windowMs: int(env, 'DTX_BREAKER_WINDOW_MS', 10_000, 1_000, 600_000),
    minimumCalls: int(env, 'DTX_BREAKER_MIN_CALLS', 20, 1, 100_000),
    cooldownMs: int(env, 'DTX_BREAKER_COOLDOWN_MS', 5_000, 100, 600_000),
    watchUrls: watchUrls(env),
  };
}

/** DTX_API_RATE_* and DTX_API_*IN_FLIGHT* (AdmissionConfig). */
function loadAdmission(env: Env): AdmissionConfig {
  const bucket = (kind: 'WRITE' | 'READ', rate: number, burst: number) => {
    const value = {
      rate: int(env, `DTX_API_RATE_${kind}`, rate, 0, 1_000_000),
      burst: int(env, `DTX_API_RATE_${kind}_BURST`, burst, 1, 1_000_000),
    };
    // a bucket smaller than a second's refill would refuse what the rate allows
    if (value.rate > 0 && value.burst < value.rate)
      throw new ConfigError(`DTX_API_RATE_${kind}_BURST`, `must be >= DTX_API_RATE_${kind} (${value.rate})`);
    return value;
  };
  return {
    write: bucket('WRITE', 100, 200),
    read: bucket('READ', 500, 1000),
    maxInFlight: int(env, 'DTX_API_MAX_IN_FLIGHT', 1000, 1, 1_000_000),
    inFlightRefreshMs: int(env, 'DTX_API_IN_FLIGHT_REFRESH_MS', 500, 50, 60_000),
  };
}

function loadRelayConfig(env: Env, databases: Record<DatabaseName, string>): RelayConfig {
  const listed = str(env, 'DTX_RELAY_DB_URLS', '')
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '');
  const databaseUrls =
    listed.length > 0
      ? listed.map((u) => url({ DTX_RELAY_DB_URLS: u }, 'DTX_RELAY_DB_URLS', u, ['postgres:', 'postgresql:']))
      : SERVICE_NAMES.map((s) => databases[s]);
  const backoffBaseMs = int(env, 'DTX_RELAY_BACKOFF_BASE_MS', 500, 1, 3_600_000);
  const backoffMaxMs = int(env, 'DTX_RELAY_BACKOFF_MAX_MS', 60_000, 1, 86_400_000);
  if (backoffMaxMs < backoffBaseMs)
    throw new ConfigError(
      'DTX_RELAY_BACKOFF_MAX_MS',
      `must be >= DTX_RELAY_BACKOFF_BASE_MS (${backoffBaseMs})`,
    );
  return {
    databaseUrls,
    pollIntervalMs: int(env, 'DTX_RELAY_POLL_MS', 1000, 10, 3_600_000),
    batchSize: int(env, 'DTX_RELAY_BATCH', 500, 1, 10_000),
    lingerMs: int(env, 'DTX_RELAY_LINGER_MS', 5, 0, 1000),
    workersPerDatabase: int(env, 'DTX_RELAY_WORKERS', 2, 1, 32),
    maxAttempts: int(env, 'DTX_RELAY_MAX_ATTEMPTS', 10, 1, 1000),
    retentionHours: int(env, 'DTX_RELAY_RETENTION_HOURS', 24, 0, 24 * 365),
    claimLeaseMs: int(env, 'DTX_RELAY_LEASE_MS', 30_000, 100, 3_600_000),
    backoffBaseMs,
    backoffMaxMs,
    lagLogIntervalMs: int(env, 'DTX_RELAY_LAG_LOG_MS', 30_000, 0, 3_600_000),
    inboxRetentionDays: int(env, 'DTX_INBOX_RETENTION_DAYS', 7, 1, 3650),
  };
}

/** host and port of a host:port address. */
export function splitHostPort(address: string): { host: string; port: number } {
  const index = address.lastIndexOf(':');
  return { host: address.slice(0, index).replace(/^\[|\]$/g, ''), port: Number(address.slice(index + 1)) };
}

/** One environment variable, as docs/configuration.md lists it. */
export interface ConfigVariable {
  name: string;
  /** A value that means the same as leaving the variable unset ('' = off or none); absent when `defaultText` says it. */
  default?: string;
  /** The default in words, when it is derived from something else. */
  defaultText?: string;
  meaning: string;
}

/**
 * Every variable loadConfig reads, with its default and meaning: the source of docs/configuration.md
 * (`npm run docs:config`). test/unit/config-docs.test.ts holds it to loadConfig itself: every variable read is
 * listed, and setting a variable to its listed default changes nothing.
 */
export const CONFIG_SECTIONS: readonly { title: string; variables: readonly ConfigVariable[] }[] = [
  {
    title: 'Temporal',
    variables: [
      {
        name: 'TEMPORAL_ADDRESS',
        default: '127.0.0.1:7233',
        meaning: 'host:port of the Temporal frontend (gRPC).',
      },
      {
        name: 'TEMPORAL_NAMESPACE',
        default: 'default',
        meaning:
          'Namespace of the transactions. The stack registers it, with the search attributes, on a server that lacks it. `npm test` uses `dtx-test`.',
      },
      {
        name: 'TEMPORAL_UI_URL',
        default: 'http://127.0.0.1:8233',
        meaning: 'Base URL of the Temporal Web UI, for the links the API, the CLI and `npm start` show.',
      },
      {
        name: 'TEMPORAL_TLS_CERT',
        default: '',
        meaning:
          'mTLS client certificate file (PEM), together with `TEMPORAL_TLS_KEY`: a TLS cluster or Temporal Cloud.',
      },
      {
        name: 'TEMPORAL_TLS_KEY',
        default: '',
        meaning: 'mTLS client key file (PEM), together with `TEMPORAL_TLS_CERT`.',
      },
      { name: 'TEMPORAL_API_KEY', default: '', meaning: 'API key (Temporal Cloud); turns TLS on.' },
    ],
  },
  {
    title: 'Kafka',
    variables: [
      { name: 'KAFKA_BROKERS', default: '127.0.0.1:9092', meaning: 'Brokers, comma-separated host:port.' },
      { name: 'KAFKA_CLIENT_ID', default: 'dtx', meaning: 'Client id of every Kafka client dtx creates.' },
      { name: 'KAFKA_SSL', default: 'false', meaning: '`true`: connect with TLS.' },
      {
        name: 'KAFKA_SASL_MECHANISM',
        default: '',
        meaning:
          '`plain`, `scram-sha-256` or `scram-sha-512`: authenticate with SASL (then `KAFKA_SASL_USERNAME` and `KAFKA_SASL_PASSWORD` are required).',
      },
      { name: 'KAFKA_SASL_USERNAME', default: '', meaning: 'SASL user name.' },
      { name: 'KAFKA_SASL_PASSWORD', default: '', meaning: 'SASL password.' },
      {
        name: 'KAFKA_TOPIC_PARTITIONS',
        default: '3',
        meaning: 'Partitions of the event topics dtx creates (1-1000).',
      },
      {
        name: 'KAFKA_TOPIC_REPLICATION',
        default: '1',
        meaning: 'Replication factor of the topics dtx creates (1-10).',
      },
      {
        name: 'DTX_KAFKA_PREFIX',
        default: '',
        meaning:
          'Put before every Kafka name dtx derives: the event topics (`<prefix>dtx.<aggregate>.events`) and the projector’s consumer group. Letters, digits, `.` and `-`. `npm test` uses `test.`.',
      },
    ],
  },
  {
    title: 'PostgreSQL',
    variables: [
      {
        name: 'DTX_PG_URL',
        default: 'postgres://postgres@127.0.0.1:5433/postgres',
        meaning:
          'Server of the dtx databases; its path is the admin database. Each database is this URL with `<DTX_DB_PREFIX>dtx_<name>` as its path (query options such as `sslmode` are kept).',
      },
      {
        name: 'DTX_DB_PREFIX',
        default: '',
        meaning:
          'Put before every database name dtx derives (`<prefix>dtx_order`, …). Lower-case letters, digits and `_`. `npm test` uses `test_`.',
      },
      ...DATABASE_NAMES.map((db): ConfigVariable => ({
        name: `DTX_${db.toUpperCase()}_DB_URL`,
        defaultText: `\`DTX_PG_URL\` with database \`<DTX_DB_PREFIX>dtx_${db}\``,
        meaning: `Connection URL of the ${DATABASE_OWNERS[db]}’s database (wins over \`DTX_PG_URL\`).`,
      })),
    ],
  },
  {
    title: 'Services and API',
    variables: [
      ...SERVICE_NAMES.map((s): ConfigVariable => ({
        name: `DTX_${s.toUpperCase()}_ADDR`,
        default: `127.0.0.1:${DEFAULT_SERVICE_PORTS[s]}`,
        meaning: `host:port the ${s} service listens on and is called at.`,
      })),
      {
        name: 'DTX_GRPC_TLS_CERT',
        default: '',
        meaning:
          'Certificate file (PEM) the services serve gRPC with, together with `DTX_GRPC_TLS_KEY`: TLS on every service port, and every client (worker, API, CLI, seed) then calls with TLS. Clients verify it against `DTX_GRPC_TLS_CA`, else the system’s CAs; it must name the host clients dial (e.g. `IP:127.0.0.1`). Off when empty: the local stack binds 127.0.0.1 in plaintext.',
      },
      {
        name: 'DTX_GRPC_TLS_KEY',
        default: '',
        meaning:
          'Private key file (PEM) of `DTX_GRPC_TLS_CERT`; one without the other is a configuration error.',
      },
      {
        name: 'DTX_GRPC_TLS_CA',
        default: '',
        meaning:
          'CA file (PEM) for mutual TLS (needs `DTX_GRPC_TLS_CERT`): the services accept only callers with a certificate it signed; clients trust it for the services and present `DTX_GRPC_TLS_CERT`/`DTX_GRPC_TLS_KEY`.',
      },
      {
        name: 'DTX_ADMIN_TOKEN',
        default: '',
        meaning:
          'Shared secret (at least 16 characters) the admin RPCs `Credit`, `SetStock`, `IssueCoupon` and `UpsertProduct` require, in `authorization: Bearer <token>` or `x-dtx-admin-token` metadata (else `UNAUTHENTICATED`); dtx’s own clients (seed, demo) send it. The transactions’ RPCs never need it. Off when empty.',
      },
      {
        name: 'DTX_API_HOST',
        default: '127.0.0.1',
        meaning: 'Address the HTTP API binds to (`0.0.0.0`: every interface).',
      },
      { name: 'DTX_API_PORT', default: '8080', meaning: 'Port of the HTTP API.' },
      {
        name: 'DTX_API_KEY',
        default: '',
        meaning:
          'When set, every API request except `/healthz` needs it, in `x-api-key` or `Authorization: Bearer` (else 401).',
      },
      {
        name: 'DTX_API_RATE_WRITE',
        default: '100',
        meaning:
          'Per-client rate limit of writes (POST: orders, cancel, retry, redrive), requests a second refilling a token bucket; over it → 429 `RATE_LIMITED` with `Retry-After`. A client is the API key it presents (`x-api-key` or `Authorization: Bearer`), else its address; without `DTX_API_KEY` the key is an unchecked label. 0: no per-client write limit.',
      },
      {
        name: 'DTX_API_RATE_WRITE_BURST',
        default: '200',
        meaning:
          'Size of a client’s write bucket: how many writes may come at once (at least `DTX_API_RATE_WRITE`).',
      },
      {
        name: 'DTX_API_RATE_READ',
        default: '500',
        meaning:
          'Per-client rate limit of reads (GET), a bucket of its own; `/healthz`, `/readyz` and `/metrics` are never limited. 0: none.',
      },
      {
        name: 'DTX_API_RATE_READ_BURST',
        default: '1000',
        meaning: 'Size of a client’s read bucket (at least `DTX_API_RATE_READ`).',
      },
      {
        name: 'DTX_API_MAX_IN_FLIGHT',
        default: '1000',
        meaning:
          'Cap on order transactions in flight (running on the orders’ task queue, counted through Temporal visibility plus this process’s recent starts); a new order over it → 429 `IN_FLIGHT_CAP` with `Retry-After` (HTTP) or exit 4 (`dtx order place`), before anything is written. Always on (1-1000000).',
      },
      {
        name: 'DTX_API_IN_FLIGHT_REFRESH_MS',
        default: '500',
        meaning:
          'How old the in-flight count may be before an admission asks Temporal again (50-60000); also the `Retry-After` of an `IN_FLIGHT_CAP` refusal, rounded up to seconds.',
      },
    ],
  },
  {
    title: 'Metrics and health',
    variables: [
      {
        name: 'DTX_OPS_HOST',
        default: '127.0.0.1',
        meaning:
          'Address the ops servers of the services, worker, relay and projector bind to (`/metrics`, `/healthz`, `/readyz`; docs/observability.md). `0.0.0.0`: every interface.',
      },
      ...OPS_PARTS.map((part): ConfigVariable => ({
        name: OPS_PORT_VARIABLES[part],
        default: String(DEFAULT_OPS_PORTS[part]),
        meaning: `Ops port of the ${part === 'services' ? 'services launcher' : part} (0: none; \`npm start\` then falls back to ${part === 'worker' || part === 'services' ? 'its older probe' : 'watching its log'}). A port already taken stops the start with the port and this variable.`,
      })),
    ],
  },
  {
    title: 'Transactions',
    variables: [
      {
        name: 'DTX_TCC_TRY_TIMEOUT_MS',
        default: '10000',
        meaning:
          'TCC try deadline: how long all tries of a transaction together may take; given to each new transaction when it starts.',
      },
      {
        name: 'DTX_WORKER_MAX_ACTIVITIES',
        default: '100',
        meaning: 'Activity executions one worker runs at once.',
      },
      {
        name: 'DTX_WORKER_MAX_WORKFLOW_TASKS',
        default: '40',
        meaning: 'Workflow tasks one worker runs at once.',
      },
      {
        name: 'DTX_BARRIER_RETENTION_DAYS',
        default: '7',
        meaning:
          'Days a barrier row is kept before the services’ hourly cleanup deletes it; keep it longer than a transaction can stay open.',
      },
      {
        name: 'DTX_IDEMPOTENCY_RETENTION_DAYS',
        default: '30',
        meaning:
          'Days the API keeps an `Idempotency-Key` record (key → request hash → order); at least `DTX_BARRIER_RETENTION_DAYS`, so a reused key is refused as long as the services could mistake it for a repeat.',
      },
      {
        name: 'DTX_FAULTS',
        default: '',
        meaning:
          'Fault injection for tests and demos, off when empty: `<service>.<Method|*>=<grpc-code>:<rate>`, `delay:<ms>[:<rate>]` or `lose-response:<rate>`, comma-separated (the relay has its own `relay.*` rules).',
      },
    ],
  },
  {
    title: 'Async payments (payment "async", the provider simulator, the payment bridge)',
    variables: [
      {
        name: 'DTX_PAYMENT_TIMEOUT_MS',
        default: '60000',
        meaning:
          'How long an order with payment `async` waits for the provider’s result before it cancels the authorization and compensates; given to each new transaction when it starts (the order may set `paymentTimeoutMs`).',
      },
      {
        name: 'DTX_PROVIDER_DELAY_MS',
        default: '2000',
        meaning: 'Payment provider simulator: how long after a PaymentPending it reports the result.',
      },
      {
        name: 'DTX_PROVIDER_DECLINE_ABOVE',
        default: '0',
        meaning:
          'Payment provider simulator: decline amounts above this (minor units; 0: no limit). A customer id starting with `decline-` is always declined.',
      },
    ],
  },
  {
    title: 'Service calls and circuit breakers (worker)',
    variables: [
      {
        name: 'DTX_CALL_DEADLINE_MS',
        default: '2000',
        meaning:
          'Deadline of one attempt of a worker’s gRPC call (50-60000). The calls take milliseconds; a lost answer costs this much, then the workflow retries (with jitter) within the step’s budget.',
      },
      {
        name: 'DTX_CALL_HEDGE_AFTER_MS',
        default: '250',
        meaning:
          'Send one identical second call when the first has not answered after this long; the first answer wins (the barrier makes the duplicate harmless). At most one hedge per 10 calls (a burst of 10), so a saturated system is not sent twice the calls. 0: never. Below `DTX_CALL_DEADLINE_MS`.',
      },
      {
        name: 'DTX_BREAKER_ENABLED',
        default: 'true',
        meaning: 'One circuit breaker per service in the worker (`false`: calls always go out).',
      },
      {
        name: 'DTX_BREAKER_FAILURE_RATE',
        default: '0.8',
        meaning:
          'Share (between 0 and 1) of a service’s calls failing with UNAVAILABLE, DEADLINE_EXCEEDED or RESOURCE_EXHAUSTED over the window that opens its breaker; business rejections never count.',
      },
      {
        name: 'DTX_BREAKER_WINDOW_MS',
        default: '10000',
        meaning: 'Sliding window of that rate (1000-600000).',
      },
      {
        name: 'DTX_BREAKER_MIN_CALLS',
        default: '20',
        meaning: 'Calls the window must hold before the rate can open the breaker.',
      },
      {
        name: 'DTX_BREAKER_COOLDOWN_MS',
        default: '5000',
        meaning:
          'An open breaker fails calls at once with `CIRCUIT_OPEN (<service>)` for this long, then lets one probe through: an answer closes it, a transient failure opens it again.',
      },
      {
        name: 'DTX_BREAKER_WATCH_URLS',
        default: 'http://127.0.0.1:9432',
        meaning:
          'Ops servers of the workers (`DTX_WORKER_OPS_PORT`), comma-separated: the API reads their breakers (at most every second, in the background) and refuses a new order with `503` (reason `CIRCUIT_OPEN`, naming the service) while a service its forward steps need has its breaker open in every worker that answers; `dtx breakers` shows them. `off`: never.',
      },
    ],
  },
  {
    title: 'Outbox relay and consumers',
    variables: [
      {
        name: 'DTX_RELAY_DB_URLS',
        defaultText: 'the four service databases',
        meaning: 'Databases whose outbox the relay drains, comma-separated URLs.',
      },
      {
        name: 'DTX_RELAY_POLL_MS',
        default: '1000',
        meaning: 'Fallback poll interval when no `NOTIFY` arrives.',
      },
      { name: 'DTX_RELAY_BATCH', default: '500', meaning: 'Rows claimed per round trip.' },
      {
        name: 'DTX_RELAY_LINGER_MS',
        default: '5',
        meaning:
          "After a `NOTIFY` wakes an idle relay loop, how long it waits for more commits before it claims: the events of concurrent transactions then share one claim, one Kafka request and one mark (like Kafka's `linger.ms`). 0: claim at once.",
      },
      {
        name: 'DTX_RELAY_WORKERS',
        default: '2',
        meaning: 'Claim → send → mark loops per database, each with its own idempotent producer.',
      },
      {
        name: 'DTX_RELAY_MAX_ATTEMPTS',
        default: '10',
        meaning: 'Send attempts before a row is marked dead.',
      },
      {
        name: 'DTX_RELAY_LEASE_MS',
        default: '30000',
        meaning: 'How long a claim is held before another relay may take the rows over.',
      },
      {
        name: 'DTX_RELAY_BACKOFF_BASE_MS',
        default: '500',
        meaning: 'First retry delay of a failed row; doubles per attempt, with jitter.',
      },
      {
        name: 'DTX_RELAY_BACKOFF_MAX_MS',
        default: '60000',
        meaning: 'Cap of the retry delay (at least `DTX_RELAY_BACKOFF_BASE_MS`).',
      },
      { name: 'DTX_RELAY_RETENTION_HOURS', default: '24', meaning: 'Sent rows older than this are deleted.' },
      {
        name: 'DTX_RELAY_LAG_LOG_MS',
        default: '30000',
        meaning: 'How often the relay logs its lag (0: never).',
      },
      {
        name: 'DTX_INBOX_RETENTION_DAYS',
        default: '7',
        meaning:
          'Days a consumer’s inbox rows are kept: the window in which a redelivered event is recognised.',
      },
    ],
  },
  {
    title: 'Tracing (the OTEL_* variables set the export: docs/observability.md)',
    variables: [
      {
        name: 'DTX_TRACING',
        default: 'false',
        meaning:
          '`npm start` (also `npm start -- --tracing`) and `dtx stack up` start the local Zipkin, and `npm start` ' +
          "exports every part's spans to it (OTEL_TRACES_EXPORTER=zipkin, unless OTEL_* already name an exporter).",
      },
      {
        name: 'DTX_ZIPKIN_PORT',
        default: '9411',
        meaning:
          'Port of the local Zipkin (stack component `zipkin`, bound to 127.0.0.1): its UI and `/api/v2/spans`.',
      },
      {
        name: 'DTX_TRACE_UI_URL',
        defaultText: 'the local Zipkin when DTX_TRACING is on, else none',
        meaning:
          'Where `dtx tx show` and the `npm start` banner link a trace: a URL with `{traceId}` in it (e.g. ' +
          '`https://jaeger.example/trace/{traceId}`), or a Zipkin base URL. Without it, the origin of ' +
          'OTEL_EXPORTER_ZIPKIN_ENDPOINT is used when the export goes to Zipkin.',
      },
    ],
  },
  {
    title: 'Local directories and logs',
    variables: [
      {
        name: 'DTX_CACHE',
        defaultText: '`~/.cache/dtx`',
        meaning: 'Built and downloaded tools (the Temporal CLI, the Kafka jars), shared by all clones.',
      },
      {
        name: 'DTX_DATA',
        default: '.dtx',
        meaning: 'Data and logs of the local stack; a relative path is taken from the checkout.',
      },
      {
        name: 'LOG_LEVEL',
        default: 'info',
        meaning: '`trace`, `debug`, `info`, `warn`, `error`, `fatal` or `silent`.',
      },
      {
        name: 'DTX_LOG_FILE',
        default: '',
        meaning: 'Append the JSON log lines to this file instead of stdout (tests set one per test file).',
      },
    ],
  },
];
