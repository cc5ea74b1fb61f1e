/**
 * The real order path in this test process: the four services on ephemeral ports (their own DTX_FAULTS spec,
 * changeable per test by a restart on the same port), an orchestrator worker with the REAL activities on a unique
 * task queue, a Temporal client; plus seeding and database-truth helpers over the four service databases.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import pino from 'pino';
import { Client, Connection } from '@temporalio/client';
import type { ActivityOptions } from '../../../../activities';
import { loadConfig, SERVICE_NAMES, type Config, type ServiceName } from '../../../../common/config';
import type { Knex } from '../../../../common/db';
import { temporalConnectionOptions } from '../../../../common/temporal';
import { call, createServiceClients, type ServiceClients } from '../../../../services/rpc/clients';
import { startService, type RunningService } from '../../../../services/runtime';
import { createOrchestrator, type Orchestrator } from '../../../../workers/orchestrator/wiring';
import type { PlaceOrderInput } from '../../../../workflows/contract';
import { WORKFLOW_TYPES, type TxMode } from '../../../../workflows/names';
import { workflowStartOptions } from '../../../../workflows/start-options';
import { ensureSearchAttributes, workflowBundle } from './temporal';

const silent = pino({ level: 'silent' });

export interface System {
  config: Config;
  taskQueue: string;
  client: Client;
  /** Clients of the in-process services (seeding). */
  clients: ServiceClients;
  db(service: ServiceName): Knex;
  /** Restarts a service on the same port with another DTX_FAULTS spec ('' = no faults). */
  setFaults(service: ServiceName, faults: string): Promise<void>;
  /** Starts an order transaction on this system's worker. */
  start(mode: TxMode, input: PlaceOrderInput): ReturnType<Client['workflow']['start']>;
  stop(): Promise<void>;
}

export async function startSystem(options: { activityOptions?: ActivityOptions } = {}): Promise<System> {
  const base = loadConfig();
  const services = {} as Record<ServiceName, RunningService>;
  for (const name of SERVICE_NAMES)
    services[name] = await startService(name, { address: '127.0.0.1:0', faults: '', logger: silent });
  const addresses = Object.fromEntries(SERVICE_NAMES.map((s) => [s, services[s].address])) as Record<
    ServiceName,
    string
  >;
  const config: Config = { ...base, serviceAddresses: addresses };

  const connection = await Connection.connect(temporalConnectionOptions(config));
  await ensureSearchAttributes(connection);
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const taskQueue = `test-e2e-${randomUUID()}`;
  const orchestrator: Orchestrator = await createOrchestrator({
    config,
    taskQueue,
    activityOptions: options.activityOptions,
    workerOptions: { workflowBundle: await workflowBundle(), workflowsPath: undefined },
  });
  const running = orchestrator.worker.run();
  const clients = createServiceClients(addresses);

  return {
    config,
    taskQueue,
    client,
    clients,
    db: (service) => services[service].db,
    async setFaults(service, faults) {
      const address = services[service].address;
      await services[service].stop(500);
      services[service] = await startService(service, { address, faults, logger: silent, migrate: false });
    },
    start: (mode, input) =>
      client.workflow.start(WORKFLOW_TYPES[mode], workflowStartOptions(mode, input, { taskQueue })),
    async stop() {
      orchestrator.worker.shutdown();
      await running;
      await orchestrator.close();
      clients.close();
      await connection.close();
      await Promise.all(SERVICE_NAMES.map((s) => services[s].stop(500)));
    },
  };
}

/** A unique id for this test run. */
export function uid(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

export const PRICE = 1_250;

export interface Shop {
  customer: string;
  skus: string[];
  coupon: string;
  couponOff: number;
}

/** Unique products (10 in stock each), a FIXED coupon and a wallet with `balance`, through the admin RPCs. */
export async function seed(clients: ServiceClients, balance = 100_000): Promise<Shop> {
  const customer = uid('cust');
  const skus = [uid('SKU'), uid('SKU')];
  for (const sku of skus) {
    await call(clients.inventory, 'upsertProduct', { sku, name: `Test ${sku}`, unitPrice: PRICE });
    await call(clients.inventory, 'setStock', { sku, available: 10 });
  }
  const coupon = uid('CPN').toUpperCase();
  const couponOff = 200;
  await call(clients.coupon, 'issueCoupon', { code: coupon, discountType: 'FIXED', amountOff: couponOff });
  await call(clients.payment, 'credit', {
    branch: { txId: `seed-${customer}`, branchId: 'credit' },
    customerId: customer,
    amount: balance,
  });
  return { customer, skus, coupon, couponOff };
}

/** What the four databases say about one order transaction. */
export interface Truth {
  order: { status: string; total: number } | undefined;
  stock: Record<string, { available: number; frozen: number; sold: number }>;
  coupon: { state: string; txId: string | null };
  wallet: { balance: number; frozen: number };
  /** Barrier rows of the tx per service database: "branch:op", "+empty" on an origin row written by its undo. */
  barrier: Record<ServiceName, string[]>;
  /** Outbox event types of the tx per service database, in seq order. */
  events: Record<ServiceName, string[]>;
}

export async function truthOf(system: System, shop: Shop, orderId: string, txId: string): Promise<Truth> {
  const order = await system
    .db('order')('orders')
    .where({ order_id: orderId })
    .first<{ status: string; total: string } | undefined>();
  const stockRows = await system
    .db('inventory')('stock')
    .whereIn('sku', shop.skus)
    .select<{ sku: string; available: string; frozen: string; sold: string }[]>();
  const coupon = await system
    .db('coupon')('coupons')
    .where({ code: shop.coupon })
    .first<{ state: string; tx_id: string | null }>();
  const wallet = await system
    .db('payment')('wallets')
    .where({ customer_id: shop.customer })
    .first<{ balance: string; frozen: string }>();
  const barrier = {} as Truth['barrier'];
  const events = {} as Truth['events'];
  for (const service of SERVICE_NAMES) {
    const rows = await system
      .db(service)('tx_barrier')
      .where({ tx_id: txId })
      .select<{ branch_id: string; op: string; reason: string }[]>();
    barrier[service] = rows
      .map(
        (r) =>
          `${r.branch_id}:${r.op}${(r.op === 'action' || r.op === 'try') && r.reason !== '' ? '+empty' : ''}`,
      )
      .sort();
    const outbox = await system
      .db(service)('outbox')
      .whereRaw(`headers->>'tx-id' = ?`, [txId])
      .orderBy('seq')
      .select<{ event_type: string }[]>('event_type');
    events[service] = outbox.map((r) => r.event_type);
  }
  return {
    order: order && { status: order.status, total: Number(order.total) },
    stock: Object.fromEntries(
      stockRows.map((r) => [
        r.sku,
        { available: Number(r.available), frozen: Number(r.frozen), sold: Number(r.sold) },
      ]),
    ),
    coupon: { state: coupon.state, txId: coupon.tx_id },
    wallet: { balance: Number(wallet.balance), frozen: Number(wallet.frozen) },
    barrier,
    events,
  };
}
