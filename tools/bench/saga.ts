/**
 * `npm run bench:saga [-- --clients 1,8,16 --duration 20 --warmup 5 --fail-ratio 0 --coupon-ratio 0 --modes saga,tcc
 *   --wait true|decided
 *   --floor auto|local|remote|none --profile]`: dtx's order throughput and latency on the RUNNING local system
 * (`npm start`), side by side with the Temporal floor, in one run.
 *
 *  - dtx: N clients in a closed loop, each placing orders through `POST /v1/orders?wait=true` (one item, quantity 1;
 *    `--wait decided`: `?wait=decided`, the answer at the decision — a TCC order's latency then ends when every try
 *    succeeded (202 COMMITTING) and its confirms run behind the answer, so the next order of that client overlaps them;
 *    its own customer and product, created through the services' admin RPCs). `--fail-ratio` of the orders come from
 *    a customer without money (payment rejects → compensation), `--coupon-ratio` use a fresh single-use coupon.
 *  - floor: the same clients starting a workflow of as many no-op activities of the same kind (local or remote) and
 *    in the same shape as the dtx flow, run by a worker this bench starts on its own task queue, same server and
 *    namespace (tools/bench/floor-workflow.ts).
 *  - per run: orders/s, p50/p95/p99, dtx/floor, errors (an unexpected answer or outcome; never throughput) and the CPU
 *    ms per order of every process of the system (/proc: Temporal, worker, services, API, relay, projector,
 *    PostgreSQL, Kafka, this bench). A table, then one JSON line.
 *
 * It refuses to run, naming what is missing, when Temporal, the API, the services or the worker are not up.
 */
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import * as os from 'node:os';
import { Command } from 'commander';
import { Client, type WorkflowHandle } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { loadConfig, splitHostPort, type Config } from '../../common/config';
import { temporalConnectionOptions } from '../../common/temporal';
import { call, createServiceClients, type ServiceClients } from '../../services/rpc/clients';
import { apiBaseUrl } from '../../start/parts';
import type { TxMode } from '../../workflows/names';
import type { FloorGroup, FloorInput } from './floor-workflow';
import { formatProfile, profileWorkflow } from './profile';
import { accountTemporalPort, cpuAccountingAvailable, startCpuWindow, type CpuWindow } from './proc-cpu';
import { connectRunningSystem, percentile, postJson, round } from './system';

type ActivityKind = 'local' | 'remote';

interface Options {
  clients: number[];
  durationS: number;
  warmupS: number;
  failRatio: number;
  couponRatio: number;
  modes: TxMode[];
  /** auto: the kind dtx's orders use (read from a first order's history). */
  floor: ActivityKind | 'auto' | 'none';
  profile: boolean;
  /** Only the floor (e.g. to compare Temporal server settings). */
  floorOnly: boolean;
  /** What an order's answer waits for: `?wait=true` (the outcome) or `?wait=decided` (the decision). */
  wait: BenchWait;
}

type BenchWait = 'true' | 'decided';

/** One finished order (or floor workflow) of a client. */
interface Sample {
  startedAt: number;
  endedAt: number;
  ok: boolean;
  compensated: boolean;
  error?: string;
  workflowId?: string;
}

export interface RunResult {
  mode: TxMode;
  system: 'dtx' | 'floor';
  activityKind: ActivityKind;
  clients: number;
  seconds: number;
  ordersPerSec: number;
  p50: number;
  p95: number;
  p99: number;
  completed: number;
  compensated: number;
  errors: number;
  errorSamples: string[];
  /** dtx only: dtx orders/s ÷ floor orders/s of the same mode and clients. */
  vsFloor?: number;
  cpuMsPerOrder: Record<string, number>;
  cpuMsPerOrderTotal: number;
  /** Groups with more than one process (something else of that kind ran too). */
  crowded: string[];
  /** Workflow id of the order closest to p50 (for --profile). */
  medianWorkflowId?: string;
}

/**
 * The floor of each flow's happy path without a coupon: activities per step group (parallel within a group), of the
 * kinds dtx uses — with local calls every call is local except the TCC tries and the calls right after the decision (the
 * saga's ConfirmOrder, the TCC participants' confirms), which stay remote (workflows/order/activities.ts: `tries`, `decided`).
 */
function floorShape(mode: TxMode, kind: ActivityKind): FloorGroup[] {
  const g = (size: number, groupKind: ActivityKind = kind): FloorGroup => ({ size, kind: groupKind });
  // saga: quote, CreateOrder, Reserve, Charge (the pivot), ConfirmOrder (decided: remote)
  if (mode === 'saga') return [g(1), g(1), g(1), g(1), g(1, 'remote')];
  // TCC: quote, CreateOrder, Try inventory ∥ payment, Confirm inventory ∥ payment (decided: remote), ConfirmOrder
  return [g(1), g(1), g(2, 'remote'), g(2, 'remote'), g(1)];
}

/** The kind of the calls of a finished order, from its history: local activity markers, or activity tasks. */
async function activityKindOf(client: Client, workflowId: string): Promise<ActivityKind> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const local = (history.events ?? []).some(
    (e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity',
  );
  return local ? 'local' : 'remote';
}

const UNIT_PRICE = 10_00;
const STOCK = 1_000_000_000;
const RICH_BALANCE = 1_000_000_000_000;
const ADMIN = { deadlineMs: 10_000 };
const CPU_GROUP_ORDER = [
  'temporal',
  'worker',
  'api',
  'services',
  'svc:order',
  'svc:inventory',
  'svc:coupon',
  'svc:payment',
  'relay',
  'projector',
  'bridge',
  'provider',
  'supervisor',
  'postgres',
  'kafka',
  'bench',
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Spreads a ratio evenly: order n is special when the running count of special orders steps up at n. */
const picked = (n: number, ratio: number) => Math.floor((n + 1) * ratio) > Math.floor(n * ratio);

// ---------------------------------------------------------------------------------------------- fixtures

interface ClientFixture {
  sku: string;
  rich: string;
  poor: string;
}

/** Per client: a product with plenty of stock, a customer with plenty of money, one with 0.01. */
async function createFixtures(clients: ServiceClients, tag: string, count: number): Promise<ClientFixture[]> {
  const fixtures: ClientFixture[] = [];
  for (let i = 0; i < count; i++) {
    const fixture = {
      sku: `BENCH-${tag}-${i}`,
      rich: `bench-${tag}-rich-${i}`,
      poor: `bench-${tag}-poor-${i}`,
    };
    await call(
      clients.inventory,
      'upsertProduct',
      { sku: fixture.sku, name: 'bench item', unitPrice: UNIT_PRICE },
      ADMIN,
    );
    await call(clients.inventory, 'setStock', { sku: fixture.sku, available: STOCK }, ADMIN);
    for (const [customerId, amount] of [
      [fixture.rich, RICH_BALANCE],
      [fixture.poor, 1],
    ] as const) {
      await call(
        clients.payment,
        'credit',
        { branch: { txId: `bench-${tag}:${customerId}`, branchId: 'credit' }, customerId, amount },
        ADMIN,
      );
    }
    fixtures.push(fixture);
  }
  return fixtures;
}

async function issueCoupon(clients: ServiceClients, code: string): Promise<void> {
  await call(
    clients.coupon,
    'issueCoupon',
    {
      code,
      ownerCustomerId: '',
      discountType: 'FIXED',
      amountOff: 1_00,
      percentOff: 0,
      maxDiscount: 0,
      minOrderAmount: 0,
      expiresAt: '',
    },
    ADMIN,
  );
}

// ---------------------------------------------------------------------------------------------- load

/** Runs `clients` closed loops; samples that ended inside [warmup, warmup + duration] count, with the CPU of that window. */
async function closedLoop(
  clients: number,
  options: Options,
  once: (client: number, n: number) => Promise<Omit<Sample, 'startedAt' | 'endedAt'>>,
): Promise<{ samples: Sample[]; cpu: CpuWindow; seconds: number }> {
  const t0 = Date.now();
  const windowStart = t0 + options.warmupS * 1000;
  const windowEnd = windowStart + options.durationS * 1000;
  const samples: Sample[] = [];
  let stopCpu: (() => CpuWindow) | undefined;
  let cpu: CpuWindow | undefined;
  const windowTimers = [
    setTimeout(() => (stopCpu = startCpuWindow()), windowStart - t0),
    setTimeout(() => (cpu = stopCpu?.()), windowEnd - t0),
  ];
  const loops = Array.from({ length: clients }, async (_, client) => {
    for (let n = 0; Date.now() < windowEnd; n++) {
      const startedAt = Date.now();
      let result: Omit<Sample, 'startedAt' | 'endedAt'>;
      try {
        result = await once(client, n);
      } catch (err) {
        result = { ok: false, compensated: false, error: err instanceof Error ? err.message : String(err) };
      }
      const endedAt = Date.now();
      if (endedAt >= windowStart && endedAt <= windowEnd) samples.push({ startedAt, endedAt, ...result });
      // an error that answers at once would spin: pace it
      if (!result.ok) await sleep(50);
    }
  });
  await Promise.all(loops);
  windowTimers.forEach(clearTimeout);
  cpu ??= stopCpu?.() ?? { byGroup: {}, processes: {} };
  return { samples, cpu, seconds: options.durationS };
}

function summarize(
  base: Pick<RunResult, 'mode' | 'system' | 'activityKind' | 'clients'>,
  { samples, cpu, seconds }: { samples: Sample[]; cpu: CpuWindow; seconds: number },
): RunResult {
  const good = samples.filter((s) => s.ok);
  const latencies = good.map((s) => s.endedAt - s.startedAt).sort((a, b) => a - b);
  const errors = samples.filter((s) => !s.ok);
  const distinct = [...new Set(errors.map((e) => e.error ?? 'error'))];
  const p50 = percentile(latencies, 50);
  const median = good.reduce<Sample | undefined>(
    (best, s) =>
      !best || Math.abs(s.endedAt - s.startedAt - p50) < Math.abs(best.endedAt - best.startedAt - p50)
        ? s
        : best,
    undefined,
  );
  const orders = Math.max(good.length, 1);
  const cpuMsPerOrder = Object.fromEntries(
    Object.entries(cpu.byGroup).map(([group, ms]) => [group, round(ms / orders, 1)]),
  );
  return {
    ...base,
    seconds,
    ordersPerSec: round(good.length / seconds, 1),
    p50: round(p50),
    p95: round(percentile(latencies, 95)),
    p99: round(percentile(latencies, 99)),
    completed: good.length,
    compensated: good.filter((s) => s.compensated).length,
    errors: errors.length,
    errorSamples: distinct.slice(0, 3),
    cpuMsPerOrder,
    cpuMsPerOrderTotal: round(Object.values(cpu.byGroup).reduce((sum, ms) => sum + ms, 0) / orders, 1),
    crowded: Object.entries(cpu.processes)
      .filter(([group, n]) => group !== 'postgres' && n > 1)
      .map(([group, n]) => `${group}×${n}`),
    medianWorkflowId: median?.workflowId,
  };
}

interface OrderResponse {
  workflowId?: string;
  outcome?: { status?: string; failedStep?: string; reason?: string };
  error?: { code?: string; message?: string };
}

async function postOrder(agent: http.Agent, url: URL, body: unknown, apiKey?: string) {
  const response = await postJson(agent, url, body, {
    headers: apiKey ? { 'x-api-key': apiKey } : {},
    timeoutMs: 60_000,
  });
  return { status: response.status, body: JSON.parse(response.text) as OrderResponse };
}

async function runDtx(
  config: Config,
  services: ServiceClients,
  fixtures: ClientFixture[],
  tag: string,
  mode: TxMode,
  clients: number,
  options: Options,
  kind: ActivityKind,
): Promise<RunResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients + 1 });
  const url = new URL(`${apiBaseUrl(config)}/v1/orders?wait=${options.wait}`);
  const run = randomBytes(2).toString('hex');
  try {
    const result = await closedLoop(clients, options, async (client, n) => {
      const fixture = fixtures[client];
      const fail = picked(n, options.failRatio);
      const couponCode = picked(n, options.couponRatio)
        ? `B${tag}${run}C${client}N${n}`.toUpperCase()
        : undefined;
      if (couponCode) await issueCoupon(services, couponCode);
      const response = await postOrder(
        agent,
        url,
        {
          customerId: fail ? fixture.poor : fixture.rich,
          items: [{ sku: fixture.sku, quantity: 1 }],
          mode,
          ...(couponCode ? { couponCode } : {}),
        },
        config.api.apiKey,
      );
      const { status, body } = response;
      if (options.wait === 'decided') {
        const why = decidedProblem(mode, fail, status, body);
        if (why) return { ok: false, compensated: false, error: why, workflowId: body.workflowId };
        return { ok: true, compensated: fail, workflowId: body.workflowId };
      }
      const outcome = body.outcome?.status;
      const expected = fail ? 'COMPENSATED' : 'COMPLETED';
      if (status !== 200 || outcome !== expected) {
        const why =
          status !== 200
            ? `HTTP ${status} ${body.error?.code ?? ''} ${body.error?.message ?? ''}`.trim()
            : `${outcome ?? 'no outcome'}${body.outcome?.failedStep ? ` at ${body.outcome.failedStep}` : ''} ${body.outcome?.reason ?? ''} (expected ${expected})`.trim();
        return { ok: false, compensated: false, error: why, workflowId: body.workflowId };
      }
      return { ok: true, compensated: fail, workflowId: body.workflowId };
    });
    return summarize({ mode, system: 'dtx', activityKind: kind, clients }, result);
  } finally {
    agent.destroy();
  }
}

/** What is wrong with a `?wait=decided` answer, or undefined: a success is decided (TCC 202 COMMITTING) or done, a failure undoing. */
function decidedProblem(
  mode: TxMode,
  fail: boolean,
  status: number,
  body: { status?: string; error?: { code?: string; message?: string } },
): string | undefined {
  const accepted = fail
    ? ['COMPENSATING', 'COMPENSATED']
    : mode === 'tcc'
      ? ['COMMITTING', 'COMPLETED']
      : ['COMPLETED'];
  const code = body.status === 'COMMITTING' ? 202 : 200;
  if (status === code && accepted.includes(body.status ?? '')) return undefined;
  if (status !== 200 && status !== 202)
    return `HTTP ${status} ${body.error?.code ?? ''} ${body.error?.message ?? ''}`.trim();
  return `HTTP ${status} ${body.status ?? 'no status'} (expected ${accepted.join(' or ')})`;
}

/** Places one saga order and reads the kind of its calls from its history. */
async function probeKind(config: Config, client: Client, fixture: ClientFixture): Promise<ActivityKind> {
  const agent = new http.Agent({ keepAlive: false });
  try {
    const url = new URL(`${apiBaseUrl(config)}/v1/orders?wait=true`);
    const body = { customerId: fixture.rich, items: [{ sku: fixture.sku, quantity: 1 }], mode: 'saga' };
    const { status, body: answer } = await postOrder(agent, url, body, config.api.apiKey);
    if (status !== 200 || answer.outcome?.status !== 'COMPLETED' || !answer.workflowId) {
      throw new Error(
        `the first order did not complete: HTTP ${status} ${JSON.stringify(answer.outcome ?? answer.error ?? {})}`,
      );
    }
    const workflowId = answer.workflowId;
    // the history read may lag the result for a moment right after a start
    for (let attempt = 1; ; attempt++) {
      try {
        return await activityKindOf(client, workflowId);
      } catch (err) {
        if (attempt >= 10) throw err;
        await sleep(300);
      }
    }
  } finally {
    agent.destroy();
  }
}

// ---------------------------------------------------------------------------------------------- floor

interface Floor {
  run(mode: TxMode, clients: number): Promise<RunResult>;
  close(): Promise<void>;
}

async function startFloor(
  config: Config,
  client: Client,
  kind: ActivityKind,
  options: Options,
  tag: string,
): Promise<Floor> {
  const taskQueue = `bench-floor-${tag}`;
  // the SDK logs every worker state change at INFO: keep the bench output to its table
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const bundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('./floor-workflow'),
    logger: {
      log: () => undefined,
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: (m) => console.error(m),
    },
  });
  const connection = await NativeConnection.connect(temporalConnectionOptions(config));
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue,
    workflowBundle: bundle,
    activities: { noop: () => Promise.resolve() },
    maxConcurrentActivityTaskExecutions: config.worker.maxConcurrentActivities,
    maxConcurrentWorkflowTaskExecutions: config.worker.maxConcurrentWorkflowTasks,
  });
  const running = worker.run();
  let seq = 0;
  return {
    async run(mode, clients) {
      const input: FloorInput = { groups: floorShape(mode, kind) };
      const result = await closedLoop(clients, options, async () => {
        const workflowId = `bench-floor-${tag}-${++seq}`;
        const handle: WorkflowHandle = await client.workflow.start('benchFloor', {
          taskQueue,
          workflowId,
          args: [input],
        });
        await handle.result();
        return { ok: true, compensated: false, workflowId };
      });
      return summarize({ mode, system: 'floor', activityKind: kind, clients }, result);
    },
    async close() {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}

// ---------------------------------------------------------------------------------------------- output

function formatTable(results: RunResult[]): string[] {
  const groups = CPU_GROUP_ORDER.filter((g) => results.some((r) => r.cpuMsPerOrder[g] !== undefined));
  const extra = [
    ...new Set(results.flatMap((r) => Object.keys(r.cpuMsPerOrder)).filter((g) => !groups.includes(g))),
  ];
  const cpuCols = [...groups, ...extra];
  const header = [
    'mode',
    'clients',
    'system',
    'kind',
    'orders/s',
    'p50',
    'p95',
    'p99',
    'ok',
    'comp',
    'err',
    'vs floor',
    'CPU ms/order',
    ...cpuCols.map((c) => c.replace(/^svc:/, '')),
  ];
  const rows = results.map((r) => [
    r.mode,
    String(r.clients),
    r.system,
    r.activityKind,
    r.ordersPerSec.toFixed(1),
    String(r.p50),
    String(r.p95),
    String(r.p99),
    String(r.completed),
    String(r.compensated),
    String(r.errors),
    r.vsFloor === undefined ? '' : r.vsFloor.toFixed(2),
    cpuAccountingAvailable ? r.cpuMsPerOrderTotal.toFixed(1) : 'n/a',
    ...cpuCols.map((c) => (r.cpuMsPerOrder[c] === undefined ? '' : r.cpuMsPerOrder[c].toFixed(1))),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 4 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  for (const r of results) {
    if (r.errorSamples.length > 0)
      out.push(`errors ${r.mode}/${r.clients}/${r.system}: ${r.errorSamples.join(' | ')}`);
    if (r.crowded.length > 0)
      out.push(
        `note ${r.mode}/${r.clients}/${r.system}: more than one process in ${r.crowded.join(', ')} (CPU summed)`,
      );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------- main

function parseOptions(argv: string[]): Options {
  const list = (raw: string) =>
    raw
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  const ratio = (name: string) => (raw: string) => {
    const value = Number(raw);
    if (!(value >= 0 && value <= 1)) throw new Error(`--${name} must be between 0 and 1, got "${raw}"`);
    return value;
  };
  const seconds = (name: string, min: number) => (raw: string) => {
    const value = Number(raw);
    if (!(value >= min)) throw new Error(`--${name} must be a number ≥ ${min}, got "${raw}"`);
    return value;
  };
  const program = new Command('bench:saga')
    .description('dtx order throughput/latency through the HTTP API, side by side with the Temporal floor')
    .option('--clients <list>', 'concurrent clients, one run per value (comma list)', '1,8,16')
    .option('--duration <s>', 'measured seconds per run', seconds('duration', 1), 20)
    .option('--warmup <s>', 'unmeasured seconds before each run', seconds('warmup', 0), 5)
    .option(
      '--fail-ratio <r>',
      'fraction of orders from a customer without money (compensate)',
      ratio('fail-ratio'),
      0,
    )
    .option(
      '--coupon-ratio <r>',
      'fraction of orders with a fresh single-use coupon',
      ratio('coupon-ratio'),
      0,
    )
    .option('--modes <list>', 'dtx modes (saga,tcc)', 'saga,tcc')
    .option('--floor <kind>', 'floor activity kind: auto (what dtx uses), local, remote, none', 'auto')
    .option('--profile', "print one order's step-by-step timing from its history (per run)", false)
    .option('--floor-only', 'run only the floor (compare Temporal settings without dtx)', false)
    .option(
      '--wait <until>',
      'what an order waits for: true (?wait=true, the outcome) or decided (?wait=decided, the decision)',
      'true',
    )
    .parse(argv);
  const raw = program.opts<{
    clients: string;
    duration: number;
    warmup: number;
    failRatio: number;
    couponRatio: number;
    modes: string;
    floor: string;
    profile: boolean;
    floorOnly: boolean;
    wait: string;
  }>();
  const clients = list(raw.clients).map((c) => {
    const n = Number(c);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--clients takes positive integers, got "${c}"`);
    return n;
  });
  const modes = list(raw.modes).map((m) => {
    if (m !== 'saga' && m !== 'tcc') throw new Error(`--modes takes saga and/or tcc, got "${m}"`);
    return m;
  });
  const floorKind = raw.floor;
  if (floorKind !== 'auto' && floorKind !== 'local' && floorKind !== 'remote' && floorKind !== 'none')
    throw new Error(`--floor takes auto, local, remote or none, got "${raw.floor}"`);
  if (raw.floorOnly && floorKind === 'none') throw new Error('--floor-only needs a floor (not --floor none)');
  if (raw.wait !== 'true' && raw.wait !== 'decided')
    throw new Error(`--wait takes true or decided, got "${raw.wait}"`);
  return {
    clients,
    durationS: raw.duration,
    warmupS: raw.warmup,
    failRatio: raw.failRatio,
    couponRatio: raw.couponRatio,
    modes,
    floor: floorKind,
    profile: raw.profile,
    floorOnly: raw.floorOnly,
    wait: raw.wait,
  };
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv);
  const config = loadConfig();
  accountTemporalPort(splitHostPort(config.temporal.address).port);
  const connection = await connectRunningSystem('bench:saga', config);
  if (!connection) return 2;
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const services = createServiceClients(config.serviceAddresses);
  const tag = randomBytes(3).toString('hex');
  const maxClients = Math.max(...options.clients);
  const loadBefore = os.loadavg();
  console.log(
    `bench:saga ${tag}: clients ${options.clients.join(',')}, ${options.warmupS}+${options.durationS} s per run, ` +
      `modes ${options.modes.join(',')}, wait=${options.wait}, fail ${options.failRatio}, coupon ${options.couponRatio}; ` +
      `${os.cpus().length} CPUs, load ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`,
  );
  if (!cpuAccountingAvailable) console.log('no /proc: CPU per process is not measured');
  const fixtures = await createFixtures(services, tag, maxClients);
  // one order first: it checks the whole path and tells which kind of activities the running worker uses
  const dtxKind = await probeKind(config, client, fixtures[0]);
  const floorKind = options.floor === 'auto' ? dtxKind : options.floor;
  console.log(`dtx runs its calls as ${dtxKind} activities; floor: ${floorKind}`);
  const floor = floorKind === 'none' ? undefined : await startFloor(config, client, floorKind, options, tag);
  const results: RunResult[] = [];
  const profiles: string[] = [];
  try {
    for (const clients of options.clients) {
      for (const mode of options.modes) {
        const dtx = options.floorOnly
          ? undefined
          : await runDtx(config, services, fixtures, tag, mode, clients, options, dtxKind);
        const base = floor ? await floor.run(mode, clients) : undefined;
        if (dtx && base && base.ordersPerSec > 0)
          dtx.vsFloor = round(dtx.ordersPerSec / base.ordersPerSec, 2);
        const pair = [dtx, base].filter((r): r is RunResult => r !== undefined);
        results.push(...pair);
        console.log(formatTable(pair).slice(2).join('\n'));
        if (options.profile) {
          for (const r of [dtx, base]) {
            if (!r?.medianWorkflowId) continue;
            const profile = await profileWorkflow(client, r.medianWorkflowId);
            profiles.push(
              ...formatProfile(`${r.system} ${r.mode}, ${r.clients} clients, order nearest p50`, profile),
              '',
            );
          }
        }
      }
    }
  } finally {
    await floor?.close();
    services.close();
    await connection.close();
  }
  const loadAfter = os.loadavg();
  console.log('');
  if (profiles.length > 0) console.log(profiles.join('\n'));
  console.log(formatTable(results).join('\n'));
  console.log(
    `load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadAfter.map((l) => l.toFixed(2)).join(' ')}`,
  );
  console.log(
    JSON.stringify({
      bench: 'saga',
      tag,
      options,
      cpus: os.cpus().length,
      loadBefore,
      loadAfter,
      results: results.map(({ medianWorkflowId: _id, ...r }) => r),
    }),
  );
  return results.some((r) => r.errors > 0) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
