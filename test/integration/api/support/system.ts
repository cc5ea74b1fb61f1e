/**
 * dtx running in this test process against the real stack (PostgreSQL, Kafka, Temporal): the four services on
 * ephemeral ports (with their own DTX_FAULTS spec), an orchestrator worker on a unique task queue, optionally the
 * outbox relay and the timeline projector, and the API dependencies wired to all of it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import pino from 'pino';
import { Connection, type Client } from '@temporalio/client';
import {
  bundleWorkflowCode,
  DefaultLogger,
  makeTelemetryFilterString,
  Runtime,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { loadConfig, SERVICE_NAMES, type Config, type ServiceName } from '../../../../common/config';
import type { Knex } from '../../../../common/db';
import { temporalConnectionOptions } from '../../../../common/temporal';
import { createServiceClients, call, type ServiceClients } from '../../../../services/rpc/clients';
import { startService, type RunningService } from '../../../../services/runtime';
import { createDependencies, type Wiring } from '../../../../api/operations/wiring';
import {
  createOrchestrator,
  WORKFLOW_INTERCEPTOR_MODULES,
  type Orchestrator,
} from '../../../../workers/orchestrator/wiring';
import { OutboxRelay } from '../../../../workers/relay/relay';
import { TimelineProjector } from '../../../../workers/projector/projector';
import { WORKFLOW_TYPES } from '../../../../workflows/names';
import { SEARCH_ATTRIBUTE_KEYS } from '../../../../workflows/search-attributes';
import { workflowStartOptions } from '../../../../workflows/start-options';

/**
 * The worker's own logs from WARN (activity failures) and the SDK core's, forwarded to it instead of the terminal:
 * DefaultLogger writes to process.stderr, which test/support/setup.ts sends to this test file's log. Once per file.
 */
function quietWorkerRuntime(): void {
  try {
    Runtime.install({
      logger: new DefaultLogger('WARN'),
      telemetryOptions: {
        logging: { filter: makeTelemetryFilterString({ core: 'WARN', other: 'WARN' }), forward: {} },
      },
    });
  } catch {
    // already installed (a second system in this file, or a worker created before)
  }
}

const silent = pino({ level: 'silent' });
/** temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD */
const KEYWORD = 2;

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The workflow bundle, built once per test file. */
function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  const quiet = {
    log: () => undefined,
    trace: () => undefined,
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: console.error,
  };
  // with the worker's interceptor modules (the transaction metrics), as the real worker runs the workflows
  bundle ??= bundleWorkflowCode({
    workflowsPath: require.resolve('../../../../workflows'),
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    logger: quiet,
  });
  return bundle;
}

export interface SystemOptions {
  /** DTX_FAULTS spec per service. */
  faults?: Partial<Record<ServiceName, string>>;
  /** Run an outbox relay and the timeline projector (default false). */
  events?: boolean;
  /** The worker's task queue (default: a unique one; the CLI tests use the real one, as the bin starts there). */
  taskQueue?: string;
}

export interface System {
  config: Config;
  taskQueue: string;
  services: Record<ServiceName, RunningService>;
  /** Clients of the in-process services (seeding, reads). */
  clients: ServiceClients;
  /** The API's dependencies, pointed at this system and its task queue. */
  deps: Wiring;
  temporal: Client;
  /** The orchestrator worker (its state: the ops readiness). */
  worker: Orchestrator['worker'];
  /** The relay and the projector, with `events: true`. */
  relay?: OutboxRelay;
  projector?: TimelineProjector;
  db(service: ServiceName): Knex;
  /** Restarts a service on the same port with another faults spec (e.g. "the fault is fixed"). */
  restartService(service: ServiceName, faults: string): Promise<void>;
  stop(): Promise<void>;
}

/** Registers dtx's search attributes when the namespace lacks them (the stack does; idempotent). */
async function ensureSearchAttributes(config: Config): Promise<void> {
  const connection = await Connection.connect(temporalConnectionOptions(config));
  try {
    const namespace = config.temporal.namespace;
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    const missing = SEARCH_ATTRIBUTE_KEYS.map((key) => key.name).filter(
      (name) => !(name in (existing.customAttributes ?? {})),
    );
    if (missing.length > 0) {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(missing.map((name) => [name, KEYWORD])),
      });
    }
  } finally {
    await connection.close();
  }
}

export async function startSystem(options: SystemOptions = {}): Promise<System> {
  quietWorkerRuntime();
  const base = loadConfig();
  await ensureSearchAttributes(base);
  const services = {} as Record<ServiceName, RunningService>;
  for (const name of SERVICE_NAMES) {
    services[name] = await startService(name, {
      address: '127.0.0.1:0',
      faults: options.faults?.[name] ?? '',
      logger: silent,
    });
  }
  const addresses = Object.fromEntries(SERVICE_NAMES.map((s) => [s, services[s].address])) as Record<
    ServiceName,
    string
  >;
  const config: Config = { ...base, serviceAddresses: addresses };
  const taskQueue = options.taskQueue ?? `test-api-${randomUUID()}`;

  const workerClients = createServiceClients(addresses);
  const orchestrator: Orchestrator = await createOrchestrator({
    config,
    clients: workerClients,
    taskQueue,
    workerOptions: { workflowBundle: await workflowBundle(), workflowsPath: undefined },
  });
  const workerRun = orchestrator.worker.run();

  const relay = options.events ? OutboxRelay.start({ config }) : undefined;
  const projector = options.events ? await TimelineProjector.start({ config }) : undefined;

  const wiring = createDependencies(config);
  const deps: Wiring = {
    ...wiring,
    startTransaction: (mode, input) => ({
      workflowType: WORKFLOW_TYPES[mode],
      options: workflowStartOptions(mode, input, { taskQueue }),
    }),
  };
  const clients = createServiceClients(addresses);

  return {
    config,
    taskQueue,
    services,
    clients,
    deps,
    temporal: wiring.temporal.client,
    worker: orchestrator.worker,
    relay,
    projector,
    db: (service) => services[service].db,
    async restartService(service, faults) {
      const address = services[service].address;
      await services[service].stop(500);
      services[service] = await startService(service, { address, faults, logger: silent });
    },
    async stop() {
      orchestrator.worker.shutdown();
      await workerRun;
      await orchestrator.close();
      workerClients.close();
      clients.close();
      await relay?.stop();
      await projector?.stop();
      await wiring.close();
      await Promise.all(SERVICE_NAMES.map((s) => services[s].stop(500)));
    },
  };
}

/** A unique id for this test run. */
export function uid(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

export interface Catalogue {
  customer: string;
  skus: string[];
  coupon: string;
  /** unit price of every SKU, minor units */
  price: number;
}

/** Seeds unique products (stock each), a fixed-amount coupon and a funded wallet through the services' admin RPCs. */
export async function seed(
  clients: ServiceClients,
  options: { stock?: number; balance?: number; products?: number; couponOff?: number } = {},
): Promise<Catalogue> {
  const customer = uid('cust');
  const price = 1_250;
  const skus = Array.from({ length: options.products ?? 2 }, () => uid('SKU'));
  for (const sku of skus) {
    await call(clients.inventory, 'upsertProduct', { sku, name: `Test product ${sku}`, unitPrice: price });
    await call(clients.inventory, 'setStock', { sku, available: options.stock ?? 10 });
  }
  const coupon = uid('CPN').toUpperCase();
  await call(clients.coupon, 'issueCoupon', {
    code: coupon,
    discountType: 'FIXED',
    amountOff: options.couponOff ?? 200,
  });
  if ((options.balance ?? 100_000) > 0) {
    await call(clients.payment, 'credit', {
      branch: { txId: `seed-${customer}`, branchId: 'credit' },
      customerId: customer,
      amount: options.balance ?? 100_000,
    });
  }
  return { customer, skus, coupon, price };
}

/** Stock rows of the SKUs, by SKU. */
export async function stockOf(
  db: Knex,
  skus: string[],
): Promise<Record<string, { available: number; frozen: number; sold: number }>> {
  const rows = await db('stock')
    .whereIn('sku', skus)
    .select<{ sku: string; available: string; frozen: string; sold: string }[]>('*');
  return Object.fromEntries(
    rows.map((r) => [
      r.sku,
      { available: Number(r.available), frozen: Number(r.frozen), sold: Number(r.sold) },
    ]),
  );
}

/** Polls `probe` until it returns a value that is not undefined (the last error in the failure message). */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > until)
      throw new Error(
        `${what}: not reached in ${timeoutMs} ms${last ? ` (last error: ${last instanceof Error ? last.message : JSON.stringify(last)})` : ''}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
