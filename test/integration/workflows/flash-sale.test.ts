/**
 * The flash sale at test scale (issue 13 §5), through the real API, services, worker and Temporal: 10 units, 200
 * one-unit orders from 40 customers, 16 at a time, in both modes. Exactly 10 sold and confirmed, stock conserved
 * (available + frozen + sold = 10), every other order COMPENSATED with INSUFFICIENT_STOCK, none running; once the stock
 * is gone the orders are refused at the quote (the cheap reject: no order record, nothing to undo).
 */
import { TX_MODES } from '../../../workflows/names';
import {
  flashProblems,
  flashTruth,
  runFlashSale,
  seedFlashSale,
  type FlashAnswer,
} from '../../../tools/bench/flash-sale';
import { startApi, type RunningApi } from '../api/support/http';
import { startSystem, uid, type System } from '../api/support/system';

const UNITS = 10;
const ORDERS = 200;
const CLIENTS = 16;
const CUSTOMERS = 40;

let system: System;
let api: RunningApi;

// The test is about stock under contention, not about deadlines: on a loaded shared 2-core machine a call can take
// more than the default 1 s deadline, and a slow-call failure (DEADLINE_EXCEEDED, then CIRCUIT_OPEN) is a different
// outcome than INSUFFICIENT_STOCK. Read by startSystem's loadConfig (the worker's call options).
process.env.DTX_CALL_DEADLINE_MS = '10000';

beforeAll(async () => {
  system = await startSystem();
  // a TCC's try deadline long enough for a loaded 2-core machine: the test is about stock, not about deadlines
  const startTransaction: System['deps']['startTransaction'] = (mode, input) =>
    system.deps.startTransaction(mode, mode === 'tcc' ? { ...input, tryTimeoutMs: 120_000 } : input);
  api = await startApi({ deps: { ...system.deps, startTransaction } });
}, 120_000);

afterAll(async () => {
  await api?.close();
  await system?.stop();
});

describe.each(TX_MODES)('%s', (mode) => {
  test(`${UNITS} units, ${ORDERS} orders, ${CLIENTS} at a time: exactly ${UNITS} sold, stock conserved, the rest INSUFFICIENT_STOCK`, async () => {
    const tag = uid('flash');
    const sku = tag.toUpperCase();
    const customers = Array.from({ length: CUSTOMERS }, (_, i) => `${tag}-c${i}`);
    await seedFlashSale(system.clients, { sku, units: UNITS, customers, tag });

    const answers: FlashAnswer[] = await runFlashSale({
      apiUrl: api.url,
      clientLabel: tag,
      sku,
      mode,
      orders: ORDERS,
      clients: CLIENTS,
      customers,
    });
    const truth = await flashTruth({
      answers,
      sku,
      units: UNITS,
      inventoryDb: system.db('inventory'),
      orderDb: system.db('order'),
      temporal: system.temporal,
    });
    expect(flashProblems(truth, ORDERS)).toEqual([]);
    expect(truth).toMatchObject({
      stock: { available: 0, frozen: 0, sold: UNITS },
      conserved: true,
      completed: UNITS,
      confirmedOrders: UNITS,
      insufficientStock: ORDERS - UNITS,
      other: 0,
      tooManyRequests: 0,
      running: 0,
    });
    // after the last unit went, the quote refuses: most rejections never created an order record
    expect(truth.rejectedAtQuote).toBeGreaterThan(0);
    const rejectedIds = answers
      .filter((a) => a.outcome?.failedStep === 'quote')
      .map((a) => a.orderId)
      .filter((id): id is string => id !== undefined);
    const [{ count }] = await system
      .db('order')('orders')
      .whereIn('order_id', rejectedIds)
      .count<{ count: string }[]>({ count: '*' });
    expect(Number(count)).toBe(0);
    // the undone ones (refused by Reserve/TryReserve before the quote saw zero) left their order CANCELLED
    const undone = answers
      .filter((a) => a.outcome?.status === 'COMPENSATED' && a.outcome.failedStep !== 'quote')
      .map((a) => a.orderId!);
    const statuses = await system
      .db('order')('orders')
      .whereIn('order_id', undone)
      .select<{ status: string }[]>('status');
    expect(statuses.every((s) => s.status === 'CANCELLED')).toBe(true);
    expect(statuses).toHaveLength(undone.length);
  }, 300_000);
});
