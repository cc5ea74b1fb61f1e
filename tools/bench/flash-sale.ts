/**
 * The flash sale, shared by `npm run bench:flash` (tools/bench/flash.ts) and its integration test: one SKU with N
 * units, M orders of one unit each from many funded customers through `POST /v1/orders?wait=true` at concurrency C,
 * then the database truth: units sold, stock conserved (available + frozen + sold = N), confirmed orders, outcomes,
 * nothing left running.
 */
import * as http from 'node:http';
import type { Client } from '@temporalio/client';
import type { Knex } from '../../common/db';
import { call, type ServiceClients } from '../../services/rpc/clients';
import type { TxMode } from '../../workflows/names';
import { postJson } from './system';

export const FLASH_UNIT_PRICE = 10_00;
const ADMIN = { deadlineMs: 10_000 };

export interface FlashAnswer {
  /** Index of the order in the sale (0-based). */
  n: number;
  status: number;
  startedAt: number;
  endedAt: number;
  workflowId?: string;
  orderId?: string;
  outcome?: { status?: string; reason?: string; failedStep?: string };
  error?: { code?: string; message?: string; reason?: string };
  retryAfter?: string;
  /** Transport failure (no HTTP answer). */
  failure?: string;
}

export interface FlashSaleSpec {
  /** The API's base URL (no trailing slash). */
  apiUrl: string;
  /** Sent as x-api-key on every order (DTX_API_KEY); when undefined, each client sends its own label (see below). */
  apiKey?: string;
  /**
   * Without DTX_API_KEY: each concurrent client names itself (x-api-key `<label>-<client>`), as distinct shoppers
   * would be distinct clients; the per-client rate limit then applies per shopper, not to the whole sale at once.
   */
  clientLabel?: string;
  sku: string;
  mode: TxMode;
  orders: number;
  clients: number;
  customers: string[];
  /** Called once per answer, in the order they arrive (e.g. to start a CPU window when the stock is gone). */
  onAnswer?: (answer: FlashAnswer, answers: FlashAnswer[]) => void;
}

/** A product with `units` in stock and `customers` funded wallets (admin RPCs). */
export async function seedFlashSale(
  clients: ServiceClients,
  options: { sku: string; units: number; customers: string[]; tag: string },
): Promise<void> {
  const { sku, units, customers, tag } = options;
  await call(
    clients.inventory,
    'upsertProduct',
    { sku, name: 'flash sale item', unitPrice: FLASH_UNIT_PRICE },
    ADMIN,
  );
  await call(clients.inventory, 'setStock', { sku, available: units }, ADMIN);
  // a few at a time: the wallets are independent, one credit each (a fixed branch: a rerun is a DUPLICATE)
  for (let i = 0; i < customers.length; i += 16) {
    await Promise.all(
      customers.slice(i, i + 16).map((customerId) =>
        call(
          clients.payment,
          'credit',
          {
            branch: { txId: `flash-${tag}:${customerId}`, branchId: 'credit' },
            customerId,
            amount: 1_000_000_00,
          },
          ADMIN,
        ),
      ),
    );
  }
}

async function postOrder(
  agent: http.Agent,
  url: URL,
  body: unknown,
  headers: Record<string, string>,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Record<string, unknown> }> {
  const response = await postJson(agent, url, body, { headers, timeoutMs: 90_000 });
  const text = response.text;
  return {
    status: response.status,
    headers: response.headers,
    body: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>,
  };
}

/** GET /v1/orders/:id until it has the outcome (at most 3 minutes); the answer then reads as a 200 with it. */
async function pollOutcome(
  spec: FlashSaleSpec,
  orderId: string,
  headers: Record<string, string>,
): Promise<Partial<FlashAnswer>> {
  const until = Date.now() + 180_000;
  while (Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const response = await fetch(`${spec.apiUrl}/v1/orders/${orderId}`, { headers }).catch(() => undefined);
    if (response?.status !== 200) continue;
    const view = (await response.json()) as { outcome?: FlashAnswer['outcome'] };
    if (view.outcome?.status !== undefined)
      return { status: 200, outcome: view.outcome, endedAt: Date.now() };
  }
  return {};
}

/** Places the sale's orders, `clients` at a time (closed loops pulling from one queue); every answer, by index. */
export async function runFlashSale(spec: FlashSaleSpec): Promise<FlashAnswer[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.clients + 1 });
  const url = new URL(`${spec.apiUrl}/v1/orders?wait=true`);
  const answers: FlashAnswer[] = [];
  let next = 0;
  const loop = async (client: number) => {
    const headers: Record<string, string> = {};
    if (spec.apiKey !== undefined) headers['x-api-key'] = spec.apiKey;
    else if (spec.clientLabel !== undefined) headers['x-api-key'] = `${spec.clientLabel}-${client}`;
    for (let n = next++; n < spec.orders; n = next++) {
      const customerId = spec.customers[n % spec.customers.length];
      const startedAt = Date.now();
      let answer: FlashAnswer;
      try {
        const response = await postOrder(
          agent,
          url,
          { customerId, items: [{ sku: spec.sku, quantity: 1 }], mode: spec.mode },
          headers,
        );
        const body = response.body as Pick<FlashAnswer, 'workflowId' | 'orderId' | 'outcome' | 'error'>;
        const retryAfter = response.headers['retry-after'];
        answer = {
          n,
          status: response.status,
          startedAt,
          endedAt: Date.now(),
          workflowId: body.workflowId,
          orderId: body.orderId,
          outcome: body.outcome,
          error: body.error,
          ...(typeof retryAfter === 'string' ? { retryAfter } : {}),
        };
      } catch (err) {
        answer = {
          n,
          status: 0,
          startedAt,
          endedAt: Date.now(),
          failure: err instanceof Error ? err.message : String(err),
        };
      }
      // still running after the API's 30 s wait (an overloaded machine): ask for the outcome, as a client would
      if (answer.status === 202 && answer.orderId !== undefined)
        answer = { ...answer, ...(await pollOutcome(spec, answer.orderId, headers)) };
      answers.push(answer);
      spec.onAnswer?.(answer, answers);
    }
  };
  try {
    await Promise.all(Array.from({ length: spec.clients }, (_, client) => loop(client)));
  } finally {
    agent.destroy();
  }
  return answers.sort((a, b) => a.n - b.n);
}

/** What the databases and Temporal say after the sale. */
export interface FlashTruth {
  units: number;
  stock: { available: number; frozen: number; sold: number };
  /** available + frozen + sold = units. */
  conserved: boolean;
  /** Answers with outcome COMPLETED. */
  completed: number;
  /** Answers with outcome COMPENSATED and reason INSUFFICIENT_STOCK. */
  insufficientStock: number;
  /** Of those, how many were refused at the quote (no order record, nothing to undo). */
  rejectedAtQuote: number;
  /** Any other answer (HTTP error, other outcome, no outcome), first few described. */
  other: number;
  otherSamples: string[];
  /** Answers that were 429. */
  tooManyRequests: number;
  /** Order records CONFIRMED among the completed orders (order service). */
  confirmedOrders: number;
  /** Order transactions of the sale still running in Temporal. */
  running: number;
}

function describeAnswer(a: FlashAnswer): string {
  if (a.failure) return `transport: ${a.failure}`;
  if (a.status !== 200)
    return `HTTP ${a.status} ${a.error?.code ?? ''} ${a.error?.reason ?? ''} ${a.error?.message ?? ''}`.trim();
  return `${a.outcome?.status ?? 'no outcome'} ${a.outcome?.reason ?? ''} at ${a.outcome?.failedStep ?? '-'}`;
}

/** Database truth and outcomes of a finished sale. */
export async function flashTruth(options: {
  answers: FlashAnswer[];
  sku: string;
  units: number;
  inventoryDb: Knex;
  orderDb: Knex;
  temporal: Client;
}): Promise<FlashTruth> {
  const { answers, sku, units, inventoryDb, orderDb, temporal } = options;
  const row = await inventoryDb('stock')
    .where({ sku })
    .first<{ available: string; frozen: string; sold: string } | undefined>('available', 'frozen', 'sold');
  const stock = {
    available: Number(row?.available ?? NaN),
    frozen: Number(row?.frozen ?? NaN),
    sold: Number(row?.sold ?? NaN),
  };
  const completed = answers.filter((a) => a.status === 200 && a.outcome?.status === 'COMPLETED');
  const insufficient = answers.filter(
    (a) =>
      a.status === 200 && a.outcome?.status === 'COMPENSATED' && a.outcome.reason === 'INSUFFICIENT_STOCK',
  );
  const others = answers.filter((a) => !completed.includes(a) && !insufficient.includes(a));
  const completedIds = completed.map((a) => a.orderId).filter((id): id is string => id !== undefined);
  let confirmedOrders = 0;
  for (let i = 0; i < completedIds.length; i += 500) {
    const [{ count }] = await orderDb('orders')
      .whereIn('order_id', completedIds.slice(i, i + 500))
      .where({ status: 'CONFIRMED' })
      .count<{ count: string }[]>({ count: '*' });
    confirmedOrders += Number(count);
  }
  // every transaction of the sale, asked directly (a wait=true answer may come without its outcome)
  let running = 0;
  const workflowIds = answers.map((a) => a.workflowId).filter((id): id is string => id !== undefined);
  for (let i = 0; i < workflowIds.length; i += 32) {
    const statuses = await Promise.all(
      workflowIds.slice(i, i + 32).map((id) =>
        temporal.workflow
          .getHandle(id)
          .describe()
          .then((d) => d.status.name),
      ),
    );
    running += statuses.filter((s) => s === 'RUNNING').length;
  }
  return {
    units,
    stock,
    conserved: stock.available + stock.frozen + stock.sold === units,
    completed: completed.length,
    insufficientStock: insufficient.length,
    rejectedAtQuote: insufficient.filter((a) => a.outcome?.failedStep === 'quote').length,
    other: others.length,
    otherSamples: [...new Set(others.map(describeAnswer))].slice(0, 3),
    tooManyRequests: answers.filter((a) => a.status === 429).length,
    confirmedOrders,
    running,
  };
}

/** Why the sale is not what it must be (empty when it is): exactly `units` sold, everyone else INSUFFICIENT_STOCK. */
export function flashProblems(truth: FlashTruth, orders: number): string[] {
  const problems: string[] = [];
  const sold = Math.min(truth.units, orders);
  if (truth.stock.sold !== sold) problems.push(`${truth.stock.sold} units sold, expected ${sold}`);
  if (!truth.conserved)
    problems.push(
      `stock not conserved: available ${truth.stock.available} + frozen ${truth.stock.frozen} + sold ${truth.stock.sold} ≠ ${truth.units}`,
    );
  if (truth.completed !== sold) problems.push(`${truth.completed} orders COMPLETED, expected ${sold}`);
  if (truth.confirmedOrders !== truth.completed)
    problems.push(`${truth.confirmedOrders} order records CONFIRMED for ${truth.completed} completed orders`);
  if (truth.insufficientStock !== orders - sold)
    problems.push(
      `${truth.insufficientStock} orders COMPENSATED with INSUFFICIENT_STOCK, expected ${orders - sold}`,
    );
  if (truth.other > 0) problems.push(`${truth.other} other answers: ${truth.otherSamples.join(' | ')}`);
  if (truth.running > 0) problems.push(`${truth.running} transactions still running`);
  return problems;
}
