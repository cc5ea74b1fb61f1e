/**
 * `npm run bench:faults [-- --orders 60 --modes saga,tcc --lose 0.3 --unavailable 0.2 --concurrency 8
 *   --call-deadline-ms <n> --try-timeout-ms <n>]`: the mixed-fault run of issue 13 §6, reproducible.
 *
 * Starts its own four services in this process (ephemeral ports, the shared PostgreSQL) with a DTX_FAULTS spec on
 * every forward call (quotes, CreateOrder, the saga actions and the TCC tries): each loses `--lose` of its responses
 * (the change commits, the answer never comes) and fails `--unavailable` with UNAVAILABLE before it runs. The
 * settle calls (confirms, cancels, compensations) are left alone. An orchestrator worker with the default settings
 * (config, activity options, retry tuning) runs on its own task queue of the shared Temporal server.
 *
 * Every order should succeed (stock, money and a coupon for each); the success rate is COMPLETED / orders. Per mode it
 * prints the outcome counts (reasons of the compensated ones), p50/p99 and checks conservation in the databases. The
 * last line is JSON.
 */
import { randomBytes } from 'node:crypto';
import { Command } from 'commander';
import pino from 'pino';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { loadConfig, SERVICE_NAMES, type Config, type ServiceName } from '../../common/config';
import { temporalConnectionOptions } from '../../common/temporal';
import { call, createServiceClients } from '../../services/rpc/clients';
import { startService, type RunningService } from '../../services/runtime';
import { createOrchestrator } from '../../workers/orchestrator/wiring';
import type { PlaceOrderInput, PlaceOrderResult } from '../../workflows/contract';
import { WORKFLOW_TYPES, type TxMode } from '../../workflows/names';
import { workflowStartOptions } from '../../workflows/start-options';

/** The forward calls of both flows (what a fault here must not turn into a failed order). */
const FORWARD_METHODS = [
  'inventory.Quote',
  'coupon.Quote',
  'order.CreateOrder',
  'inventory.Reserve',
  'inventory.TryReserve',
  'coupon.Redeem',
  'coupon.TryLock',
  'payment.Charge',
  'payment.TryFreeze',
];

interface Options {
  orders: number;
  modes: TxMode[];
  lose: number;
  unavailable: number;
  concurrency: number;
  callDeadlineMs?: number;
  tryTimeoutMs?: number;
  /** Override of the retry tuning's first backoff (what-if runs). */
  initialIntervalMs?: number;
}

interface ModeResult {
  mode: TxMode;
  orders: number;
  completed: number;
  successRate: number;
  compensated: Record<string, number>;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  seconds: number;
  conserved: boolean;
}

const uid = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

const PRICE = 1_000;
const STOCK = 100_000;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function faultSpec(lose: number, unavailable: number): string {
  return FORWARD_METHODS.flatMap((m) => [
    ...(unavailable > 0 ? [`${m}=unavailable:${unavailable}`] : []),
    ...(lose > 0 ? [`${m}=lose-response:${lose}`] : []),
  ]).join(',');
}

async function runMode(
  mode: TxMode,
  options: Options,
  client: Client,
  taskQueue: string,
  config: Config,
  services: Record<ServiceName, RunningService>,
): Promise<ModeResult> {
  const clients = createServiceClients(config.serviceAddresses);
  try {
    // one product for everyone (plenty of stock), one wallet and one coupon per order: every order can succeed
    const sku = uid('FSKU');
    await call(clients.inventory, 'upsertProduct', { sku, name: `Fault bench ${sku}`, unitPrice: PRICE });
    await call(clients.inventory, 'setStock', { sku, available: STOCK });
    const inputs: PlaceOrderInput[] = [];
    for (let i = 0; i < options.orders; i++) {
      const customerId = uid('fcust');
      const couponCode = uid('FCPN').toUpperCase();
      await call(clients.coupon, 'issueCoupon', { code: couponCode, discountType: 'FIXED', amountOff: 100 });
      await call(clients.payment, 'credit', {
        branch: { txId: `seed-${customerId}`, branchId: 'credit' },
        customerId,
        amount: 100_000,
      });
      inputs.push({
        orderId: uid('ford'),
        customerId,
        items: [{ sku, quantity: 1 }],
        couponCode,
        ...(mode === 'tcc' ? { tryTimeoutMs: options.tryTimeoutMs ?? config.tccTryTimeoutMs } : {}),
        ...(options.initialIntervalMs !== undefined
          ? { retry: { initialIntervalMs: options.initialIntervalMs } }
          : {}),
      });
    }

    const started = Date.now();
    const results: { result?: PlaceOrderResult; ms: number; error?: string }[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < inputs.length) {
        const input = inputs[next++];
        const t0 = Date.now();
        try {
          const handle = await client.workflow.start(
            WORKFLOW_TYPES[mode],
            workflowStartOptions(mode, input, { taskQueue }),
          );
          const result: PlaceOrderResult = await handle.result();
          results.push({ result, ms: Date.now() - t0 });
        } catch (err) {
          results.push({ ms: Date.now() - t0, error: err instanceof Error ? err.message : String(err) });
        }
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    const seconds = (Date.now() - started) / 1000;

    const completed = results.filter((r) => r.result?.status === 'COMPLETED').length;
    const compensated: Record<string, number> = {};
    for (const r of results) {
      if (r.result?.status !== 'COMPENSATED') continue;
      const key = `${r.result.reason}@${r.result.failedStep}`;
      compensated[key] = (compensated[key] ?? 0) + 1;
    }
    const latencies = results.map((r) => r.ms).sort((a, b) => a - b);

    // database truth: stock conserved, nothing left frozen, sold = completed orders
    const stock = await services.inventory
      .db('stock')
      .where({ sku })
      .first<{ available: string; frozen: string; sold: string }>();
    const wallets = await services.payment
      .db('wallets')
      .whereIn(
        'customer_id',
        inputs.map((i) => i.customerId),
      )
      .select<{ balance: string; frozen: string }[]>();
    const spent = wallets.reduce((sum, w) => sum + (100_000 - Number(w.balance)), 0);
    const frozenMoney = wallets.reduce((sum, w) => sum + Number(w.frozen), 0);
    const conserved =
      Number(stock.available) + Number(stock.frozen) + Number(stock.sold) === STOCK &&
      Number(stock.frozen) === 0 &&
      Number(stock.sold) === completed &&
      frozenMoney === 0 &&
      spent === completed * (PRICE - 100);

    return {
      mode,
      orders: options.orders,
      completed,
      successRate: completed / options.orders,
      compensated,
      errors: results.filter((r) => r.error).length,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      seconds,
      conserved,
    };
  } finally {
    clients.close();
  }
}

async function main(): Promise<void> {
  const program = new Command()
    .option('--orders <n>', 'orders per mode', '60')
    .option('--modes <list>', 'saga,tcc', 'saga,tcc')
    .option('--lose <rate>', 'share of forward responses lost', '0.3')
    .option('--unavailable <rate>', 'share of forward calls failed with UNAVAILABLE', '0.2')
    .option('--concurrency <n>', 'orders in flight', '8')
    .option('--call-deadline-ms <n>', 'override of the activities’ per-call deadline')
    .option('--try-timeout-ms <n>', 'TCC try deadline (default DTX_TCC_TRY_TIMEOUT_MS)')
    .option('--initial-interval-ms <n>', 'first retry backoff of the orders (default: the workflows’ 1000)')
    .parse();
  const raw = program.opts<Record<string, string | undefined>>();
  const options: Options = {
    orders: Number(raw.orders),
    modes: (raw.modes ?? '').split(',').filter((m): m is TxMode => m === 'saga' || m === 'tcc'),
    lose: Number(raw.lose),
    unavailable: Number(raw.unavailable),
    concurrency: Number(raw.concurrency),
    callDeadlineMs: raw.callDeadlineMs === undefined ? undefined : Number(raw.callDeadlineMs),
    tryTimeoutMs: raw.tryTimeoutMs === undefined ? undefined : Number(raw.tryTimeoutMs),
    initialIntervalMs: raw.initialIntervalMs === undefined ? undefined : Number(raw.initialIntervalMs),
  };

  const base = loadConfig();
  // every failed attempt is an SDK warning: hundreds per run
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const faults = faultSpec(options.lose, options.unavailable);
  const silent = pino({ level: 'silent' });
  const services = {} as Record<ServiceName, RunningService>;
  for (const name of SERVICE_NAMES)
    services[name] = await startService(name, { address: '127.0.0.1:0', faults, logger: silent });
  const serviceAddresses = Object.fromEntries(SERVICE_NAMES.map((s) => [s, services[s].address])) as Record<
    ServiceName,
    string
  >;
  const config: Config = { ...base, serviceAddresses, logLevel: 'warn' };
  const taskQueue = `bench-faults-${randomBytes(4).toString('hex')}`;
  const orchestrator = await createOrchestrator({
    config,
    taskQueue,
    ...(options.callDeadlineMs !== undefined
      ? { activityOptions: { callDeadlineMs: options.callDeadlineMs } }
      : {}),
  });
  const running = orchestrator.worker.run();
  const connection = await Connection.connect(temporalConnectionOptions(config));
  const client = new Client({ connection, namespace: config.temporal.namespace });

  const results: ModeResult[] = [];
  try {
    for (const mode of options.modes) {
      const result = await runMode(mode, options, client, taskQueue, config, services);
      results.push(result);
      console.log(
        `${mode.padEnd(4)}  ${result.completed}/${result.orders} COMPLETED (${(result.successRate * 100).toFixed(0)}%)` +
          `  compensated ${JSON.stringify(result.compensated)}  errors ${result.errors}` +
          `  p50 ${result.p50Ms} ms  p99 ${result.p99Ms} ms  ${result.seconds.toFixed(1)} s` +
          `  conserved ${result.conserved ? 'yes' : 'NO'}`,
      );
    }
  } finally {
    orchestrator.worker.shutdown();
    await running;
    await orchestrator.close();
    await connection.close();
    await Promise.all(SERVICE_NAMES.map((s) => services[s].stop(500)));
  }
  console.log(JSON.stringify({ faults: { lose: options.lose, unavailable: options.unavailable }, results }));
  if (results.some((r) => !r.conserved || r.errors > 0)) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
