/**
 * The real ApiDependencies from config: a lazy Temporal connection, the order service's gRPC client, the outbox
 * admin (workers/outbox) and the timeline reader (workers/timeline), and the readiness probes. Nothing connects until first used, so a CLI command pays only for
 * what it touches. `close()` releases whatever was opened. A dependency that cannot be reached fails as UNAVAILABLE
 * naming it (errors.ts: componentCall), never with its address.
 */
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import * as grpc from '@grpc/grpc-js';
import { DATABASE_NAMES, loadConfig, type Config, type DatabaseName } from '../../common/config';
import { createDb, type Knex } from '../../common/db';
import { migrateDatabase } from '../../common/migrate';
import { createKafka } from '../../common/kafka';
import { temporalConnectionOptions, temporalClientInterceptors } from '../../common/temporal';
import type { Order } from '../../proto/gen/dtx/v1/Order';
import { workflowStartOptions } from '../../workflows/start-options';
import { TASK_QUEUE, WORKFLOW_TYPES } from '../../workflows/names';
import { call, createServiceClients, type ServiceClients } from '../../services/rpc/clients';
import { closeOutboxDatabases, openOutboxDatabases, type OutboxDatabase } from '../../outbox/databases';
import { pageDeadLetters, redriveAll, redriveDeadLetter } from '../../outbox/dead-letters';
import { getOutboxLag } from '../../outbox/lag';
import { getOrderTimeline } from '../../timeline/queries';
import { claimIdempotencyKey, purgeIdempotencyKeys, type IdempotencyRecords } from './idempotency-records';
import { componentCall, type Component } from './errors';
import { inFlightLimit, runningTransactionsQuery } from './admission';
import type {
  ApiDependencies,
  OrderReader,
  OrderRecord,
  OutboxAdmin,
  ReadinessProbe,
  TimelineReader,
  TransactionStarter,
} from './deps';
import { breakerGate } from './degradation';

/** How old the snapshot of the worker's breakers may get before an order refreshes it (in the background). */
const BREAKER_REFRESH_MS = 1_000;
/** Attempts of one Temporal call when the server does not answer (UNAVAILABLE and other retryable codes). */
const TEMPORAL_CALL_ATTEMPTS = 5;
/** How long one order-service read may take. */
const ORDER_READ_DEADLINE_MS = 5_000;

export interface Wiring extends ApiDependencies {
  close(): Promise<void>;
}

/** The order service's Order as the API shows it (empty strings of proto3 defaults become absent). */
export function orderRecordOf(order: Order): OrderRecord {
  return {
    orderId: order.orderId ?? '',
    customerId: order.customerId ?? '',
    status: order.status ?? '',
    lines: (order.lines ?? []).map((line) => ({
      sku: line.sku ?? '',
      quantity: Number(line.quantity ?? 0),
      unitPrice: Number(line.unitPrice ?? 0),
      lineTotal: Number(line.lineTotal ?? 0),
    })),
    subtotal: Number(order.subtotal ?? 0),
    discount: Number(order.discount ?? 0),
    total: Number(order.total ?? 0),
    ...(order.couponCode ? { couponCode: order.couponCode } : {}),
    txMode: order.txMode ?? '',
    txId: order.txId ?? '',
    ...(order.cancelReason ? { cancelReason: order.cancelReason } : {}),
    createdAt: order.createdAt ?? '',
    updatedAt: order.updatedAt ?? '',
  };
}

function orderReader(clients: () => ServiceClients): OrderReader {
  return {
    async getOrder(orderId) {
      try {
        return orderRecordOf(
          await componentCall('order service', () =>
            call(clients().order, 'getOrder', { orderId }, { deadlineMs: ORDER_READ_DEADLINE_MS }),
          ),
        );
      } catch (error) {
        if ((error as grpc.ServiceError).code === grpc.status.NOT_FOUND) return null;
        throw error;
      }
    },
  };
}

/** Starts transactions the one consistent way; a TCC gets the configured try deadline unless the input has one. */
export function transactionStarter(config: Config): TransactionStarter {
  return (mode, input) => ({
    workflowType: WORKFLOW_TYPES[mode],
    options: workflowStartOptions(
      mode,
      mode === 'tcc'
        ? { tryTimeoutMs: config.tccTryTimeoutMs, ...input }
        : input.payment === 'async'
          ? { paymentTimeoutMs: config.asyncPayment.timeoutMs, ...input }
          : input,
    ),
  });
}

export function createDependencies(config: Config = loadConfig()): Wiring {
  // a request or a command should say "Temporal does not answer" within seconds, not after the SDK's default
  // ten attempts; transient blips are still retried
  const connection = Connection.lazy({
    ...temporalConnectionOptions(config),
    interceptors: [
      makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: TEMPORAL_CALL_ATTEMPTS })),
    ],
  });
  const client = new Client({
    connection,
    namespace: config.temporal.namespace,
    interceptors: temporalClientInterceptors(),
  });

  let serviceClients: ServiceClients | undefined;
  const clients = () => (serviceClients ??= createServiceClients(config.serviceAddresses));
  const databases = new Map<DatabaseName, Knex>();
  const db = (name: DatabaseName) => {
    let knex = databases.get(name);
    if (knex === undefined) {
      knex = createDb(name, { url: config.databases[name], poolMax: 2, applicationName: 'dtx-api' });
      databases.set(name, knex);
    }
    return knex;
  };

  let outboxDatabases: OutboxDatabase[] | undefined;
  const outboxes = () =>
    (outboxDatabases ??= openOutboxDatabases(config.relay.databaseUrls, {
      poolMax: 2,
      applicationName: 'dtx-api',
    }));
  // an unreachable dependency is UNAVAILABLE naming it (errors.ts: Component), never its address
  const outboxCall = <T>(fn: () => Promise<T>) => componentCall('outbox databases', fn);
  const outbox: OutboxAdmin = {
    lag: () => outboxCall(() => getOutboxLag(outboxes())),
    listDeadLetters: (page) => outboxCall(() => pageDeadLetters(page, outboxes())),
    redrive: (id) => outboxCall(() => redriveDeadLetter(id, outboxes())),
    redriveAll: () => outboxCall(() => redriveAll(outboxes())),
  };
  const timeline: TimelineReader = {
    getOrderTimeline: (orderId) =>
      componentCall('timeline database', () => getOrderTimeline(orderId, db('timeline'))),
  };

  // the API's one table, brought up to date on first use (as the services and the projector do with theirs)
  let apiDb: Promise<Knex> | undefined;
  const migratedApiDb = () =>
    (apiDb ??= migrateDatabase(db('api'), 'api').then(
      () => db('api'),
      (error: unknown) => {
        apiDb = undefined; // the next call tries again
        throw error;
      },
    ));
  const idempotency: IdempotencyRecords = {
    claim: (customerId, key, record) =>
      componentCall('api database', async () =>
        claimIdempotencyKey(await migratedApiDb(), customerId, key, record),
      ),
    purgeExpired: () =>
      componentCall('api database', async () =>
        purgeIdempotencyKeys(await migratedApiDb(), config.idempotencyRetentionDays),
      ),
  };

  const probe = (name: string, component: Component, check: () => Promise<unknown>): ReadinessProbe => ({
    name,
    check: async () => {
      await componentCall(component, check);
    },
  });
  const probes: ReadinessProbe[] = [
    probe('temporal', 'temporal', () => client.workflowService.getSystemInfo({})),
    ...DATABASE_NAMES.map((name) => probe(`db:${name}`, `${name} database`, () => db(name).raw('select 1'))),
    probe('kafka', 'kafka', async () => {
      const admin = createKafka({ config, clientSuffix: 'api-readyz' }).admin();
      try {
        await admin.connect();
        await admin.describeCluster();
      } finally {
        await admin.disconnect();
      }
    }),
  ];

  return {
    temporal: { client, namespace: config.temporal.namespace, uiUrl: config.temporal.uiUrl },
    startTransaction: transactionStarter(config),
    // every order workflow runs on dtx's task queue: its running ones are the transactions in flight
    inFlight: inFlightLimit(
      { max: config.api.admission.maxInFlight, refreshMs: config.api.admission.inFlightRefreshMs },
      async () => (await client.workflow.count(runningTransactionsQuery(TASK_QUEUE))).count,
    ),
    orders: orderReader(clients),
    timeline,
    idempotency,
    outbox,
    probes,
    breakers: breakerGate(config.breaker.watchUrls, {
      refreshMs: BREAKER_REFRESH_MS,
      // an open breaker lets its first probe through after the cool-down
      retryAfterSeconds: Math.max(1, Math.ceil(config.breaker.cooldownMs / 1000)),
    }),
    async close() {
      serviceClients?.close();
      if (outboxDatabases) await closeOutboxDatabases(outboxDatabases);
      await Promise.all([...databases.values()].map((knex) => knex.destroy()));
      await connection.close();
    },
  };
}
