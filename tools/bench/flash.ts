/**
 * `npm run bench:flash [-- --units 100 --orders 2000 --clients 32 --customers 500 --modes saga,tcc]`: a flash sale on
 * the RUNNING local system (`npm start`): one SKU with N units, M one-unit orders from many funded customers through
 * `POST /v1/orders?wait=true`, C at a time, per mode (tools/bench/flash-sale.ts). Then the database truth, side by
 * side per mode: exactly N units sold, every other order COMPENSATED with INSUFFICIENT_STOCK, stock conserved
 * (available + frozen + sold = N, from the inventory database), no transaction left running; orders/s, p50/p99 of
 * the accepted and the rejected orders, and CPU ms per order of every process (/proc) — for the whole sale and for
 * the orders answered after the stock was gone (the cost of a rejection). A table, then one JSON line; exit 1 when
 * an assertion fails.
 *
 * Admission (the API's rate limits) must not shape the sale: without DTX_API_KEY each client sends its own
 * x-api-key label (a shopper per client); 429s are counted and reported as a failure.
 * It refuses to run, naming what is missing, when Temporal, the API, the services or the worker are not up.
 */
import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import { Command } from 'commander';
import { Client } from '@temporalio/client';
import { loadConfig, splitHostPort, type Config } from '../../common/config';
import { createDb } from '../../common/db';
import { createServiceClients } from '../../services/rpc/clients';
import { apiBaseUrl } from '../../start/parts';
import type { TxMode } from '../../workflows/names';
import {
  flashProblems,
  flashTruth,
  runFlashSale,
  seedFlashSale,
  type FlashAnswer,
  type FlashTruth,
} from './flash-sale';
import { accountTemporalPort, cpuAccountingAvailable, startCpuWindow, type CpuWindow } from './proc-cpu';
import { connectRunningSystem, percentile, round } from './system';

interface Options {
  units: number;
  orders: number;
  clients: number;
  customers: number;
  modes: TxMode[];
}

interface FlashResult {
  mode: TxMode;
  seconds: number;
  ordersPerSec: number;
  accepted: { count: number; p50: number; p99: number };
  rejected: { count: number; p50: number; p99: number };
  /** Rejections answered after the last unit was sold (the sold-out phase). */
  soldOut: { count: number; p50: number; p99: number; ordersPerSec: number };
  cpuMsPerOrder: number;
  cpuMsPerSoldOutOrder: number;
  cpuByGroup: Record<string, number>;
  truth: FlashTruth;
  problems: string[];
}

function latencies(answers: FlashAnswer[]): { count: number; p50: number; p99: number } {
  const sorted = answers.map((a) => a.endedAt - a.startedAt).sort((a, b) => a - b);
  return { count: sorted.length, p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)) };
}

const cpuTotal = (cpu: CpuWindow) => Object.values(cpu.byGroup).reduce((sum, ms) => sum + ms, 0);

async function runMode(
  config: Config,
  client: Client,
  tag: string,
  mode: TxMode,
  options: Options,
): Promise<FlashResult> {
  const services = createServiceClients(config.serviceAddresses);
  const inventoryDb = createDb('inventory', { poolMax: 2, applicationName: 'dtx-bench-flash' });
  const orderDb = createDb('order', { poolMax: 2, applicationName: 'dtx-bench-flash' });
  try {
    const sku = `FLASH-${tag}-${mode}`.toUpperCase();
    const customers = Array.from({ length: options.customers }, (_, i) => `flash-${tag}-${mode}-c${i}`);
    await seedFlashSale(services, { sku, units: options.units, customers, tag });

    // the sold-out phase starts when the last unit's order answers COMPLETED
    let sold = 0;
    let soldOutAt: number | undefined;
    let stopSoldOutCpu: (() => CpuWindow) | undefined;
    const stopCpu = startCpuWindow();
    const t0 = Date.now();
    const answers = await runFlashSale({
      apiUrl: apiBaseUrl(config),
      apiKey: config.api.apiKey,
      clientLabel: `flash-${tag}`,
      sku,
      mode,
      orders: options.orders,
      clients: options.clients,
      customers,
      onAnswer: (answer) => {
        if (answer.outcome?.status !== 'COMPLETED') return;
        if (++sold === options.units) {
          soldOutAt = Date.now();
          stopSoldOutCpu = startCpuWindow();
        }
      },
    });
    const t1 = Date.now();
    const cpu = stopCpu();
    const soldOutCpu = stopSoldOutCpu?.();

    const truth = await flashTruth({
      answers,
      sku,
      units: options.units,
      inventoryDb,
      orderDb,
      temporal: client,
    });
    const accepted = answers.filter((a) => a.outcome?.status === 'COMPLETED');
    const rejected = answers.filter((a) => a.outcome?.status === 'COMPENSATED');
    const soldOut = soldOutAt === undefined ? [] : rejected.filter((a) => a.startedAt >= soldOutAt!);
    const soldOutSeconds = soldOutAt === undefined ? 0 : (t1 - soldOutAt) / 1000;
    const orders = Math.max(answers.length, 1);
    return {
      mode,
      seconds: round((t1 - t0) / 1000, 1),
      ordersPerSec: round(answers.length / ((t1 - t0) / 1000), 1),
      accepted: latencies(accepted),
      rejected: latencies(rejected),
      soldOut: {
        ...latencies(soldOut),
        ordersPerSec: soldOutSeconds > 0 ? round(soldOut.length / soldOutSeconds, 1) : NaN,
      },
      cpuMsPerOrder: round(cpuTotal(cpu) / orders, 1),
      // CPU of the sold-out window over the orders answered in it (all of them rejections)
      cpuMsPerSoldOutOrder:
        soldOutCpu && soldOut.length > 0
          ? round(cpuTotal(soldOutCpu) / answers.filter((a) => a.endedAt >= soldOutAt!).length, 1)
          : NaN,
      cpuByGroup: Object.fromEntries(
        Object.entries(cpu.byGroup).map(([group, ms]) => [group, round(ms / orders, 1)]),
      ),
      truth,
      problems: flashProblems(truth, options.orders),
    };
  } finally {
    services.close();
    await inventoryDb.destroy();
    await orderDb.destroy();
  }
}

function formatTable(results: FlashResult[]): string[] {
  const rows: [string, (r: FlashResult) => string][] = [
    ['units sold', (r) => `${r.truth.stock.sold} / ${r.truth.units}`],
    ['COMPLETED (order CONFIRMED)', (r) => `${r.truth.completed} (${r.truth.confirmedOrders})`],
    [
      'COMPENSATED INSUFFICIENT_STOCK',
      (r) => `${r.truth.insufficientStock} (${r.truth.rejectedAtQuote} at the quote)`,
    ],
    ['other answers (of them 429)', (r) => `${r.truth.other} (${r.truth.tooManyRequests})`],
    [
      'stock available+frozen+sold',
      (r) =>
        `${r.truth.stock.available}+${r.truth.stock.frozen}+${r.truth.stock.sold} ${r.truth.conserved ? '= N ✓' : '≠ N ✗'}`,
    ],
    ['still running', (r) => String(r.truth.running)],
    ['seconds', (r) => r.seconds.toFixed(1)],
    ['orders/s', (r) => r.ordersPerSec.toFixed(1)],
    ['accepted p50 / p99 ms', (r) => `${r.accepted.p50} / ${r.accepted.p99}`],
    ['rejected p50 / p99 ms', (r) => `${r.rejected.p50} / ${r.rejected.p99}`],
    ['sold out: rejected p50 / p99 ms', (r) => `${r.soldOut.p50} / ${r.soldOut.p99} (${r.soldOut.count})`],
    ['sold out: orders/s', (r) => r.soldOut.ordersPerSec.toFixed(1)],
    ['CPU ms / order (all)', (r) => (cpuAccountingAvailable ? r.cpuMsPerOrder.toFixed(1) : 'n/a')],
    [
      'CPU ms / order (sold out)',
      (r) => (cpuAccountingAvailable ? r.cpuMsPerSoldOutOrder.toFixed(1) : 'n/a'),
    ],
  ];
  const groups = [...new Set(results.flatMap((r) => Object.keys(r.cpuByGroup)))].sort();
  for (const group of groups)
    rows.push([`  CPU ms / order: ${group}`, (r) => (r.cpuByGroup[group] ?? 0).toFixed(1)]);
  const header = ['', ...results.map((r) => r.mode)];
  const cells = rows.map(([label, value]) => [label, ...results.map(value)]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i].length)));
  const line = (row: string[]) =>
    row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)];
  for (const r of results) for (const problem of r.problems) out.push(`FAIL ${r.mode}: ${problem}`);
  return out;
}

function parseOptions(argv: string[]): Options {
  const positive = (name: string) => (raw: string) => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`--${name} takes a positive integer, got "${raw}"`);
    return value;
  };
  const program = new Command('bench:flash')
    .description('a flash sale through the HTTP API: one SKU, many buyers, both modes; never oversold')
    .option('--units <n>', 'units in stock', positive('units'), 100)
    .option('--orders <n>', 'orders placed (one unit each)', positive('orders'), 2000)
    .option('--clients <n>', 'orders in flight at once (closed loops)', positive('clients'), 32)
    .option('--customers <n>', 'distinct funded customers (orders take turns)', positive('customers'), 500)
    .option('--modes <list>', 'saga,tcc', 'saga,tcc')
    .parse(argv);
  const raw = program.opts<{
    units: number;
    orders: number;
    clients: number;
    customers: number;
    modes: string;
  }>();
  const modes = raw.modes
    .split(',')
    .map((m) => m.trim())
    .filter((m) => m !== '')
    .map((m) => {
      if (m !== 'saga' && m !== 'tcc') throw new Error(`--modes takes saga and/or tcc, got "${m}"`);
      return m;
    });
  return { units: raw.units, orders: raw.orders, clients: raw.clients, customers: raw.customers, modes };
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv);
  const config = loadConfig();
  accountTemporalPort(splitHostPort(config.temporal.address).port);
  const connection = await connectRunningSystem('bench:flash', config);
  if (!connection) return 2;
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const tag = randomBytes(3).toString('hex');
  const loadBefore = os.loadavg();
  console.log(
    `bench:flash ${tag}: ${options.units} units, ${options.orders} orders from ${options.customers} customers, ` +
      `${options.clients} at a time, modes ${options.modes.join(',')}; ${os.cpus().length} CPUs, ` +
      `load ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`,
  );
  if (!cpuAccountingAvailable) console.log('no /proc: CPU per process is not measured');
  const results: FlashResult[] = [];
  try {
    for (const mode of options.modes) {
      const result = await runMode(config, client, tag, mode, options);
      results.push(result);
      console.log(
        `${mode}: ${result.ordersPerSec} orders/s, ${result.problems.length === 0 ? 'ok' : 'FAILED'}`,
      );
    }
  } finally {
    await connection.close();
  }
  const loadAfter = os.loadavg();
  console.log('');
  console.log(formatTable(results).join('\n'));
  console.log(
    `load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadAfter.map((l) => l.toFixed(2)).join(' ')}`,
  );
  console.log(
    JSON.stringify({ bench: 'flash', tag, options, cpus: os.cpus().length, loadBefore, loadAfter, results }),
  );
  return results.some((r) => r.problems.length > 0) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
