/**
 * The demo's orders: in both modes, a success (with a fresh coupon), the same coupon again (already used), more of
 * the seeded one-unit product than there is (out of stock), and the seeded nearly empty wallet (insufficient funds).
 * Customers and coupons that a run uses up are created fresh for the run through the admin RPCs, so every run
 * shows the same outcomes.
 */
import { call, type ServiceClients } from '../services/rpc/clients';
import type { PlaceOrderBody } from '../api/operations/schemas';
import { TX_MODES, type TxMode } from '../workflows/names';
import { ApiError, type ApiClient } from './api-client';
import { LAST_UNIT_SKU, SEED_WALLETS, seedDemoData } from './seed-data';

export interface Expected {
  status: 'COMPLETED' | 'COMPENSATED';
  reason?: string;
  /** Steps the failure may be reported at (a used coupon is refused by the quote, or by the redeem in a race). */
  failedSteps?: string[];
}

export interface Scenario {
  mode: TxMode;
  name: string;
  body: PlaceOrderBody;
  expected: Expected;
  /** Placed only after this scenario (same mode) finished. */
  after?: string;
}

export interface ScenarioResult {
  scenario: Scenario;
  orderId?: string;
  status: string;
  failedStep?: string;
  reason?: string;
  temporalUi?: string;
  /** Why the outcome is not the expected one; undefined when it is. */
  problem?: string;
}

const SCENARIOS = {
  success: 'success',
  couponUsed: 'coupon already used',
  outOfStock: 'out of stock',
  insufficientFunds: 'insufficient funds',
} as const;

/** The seeded wallet with almost nothing in it. */
const NEARLY_EMPTY_CUSTOMER = SEED_WALLETS.find((wallet) => wallet.amount < 10_00)!.customerId;
const RICH_BALANCE = 1_000_00;
const ADMIN = { deadlineMs: 10_000 };

/** Creates the run's customers and coupons, and makes sure the seed is there; returns the orders to place. */
export async function prepareScenarios(clients: ServiceClients, runId: string): Promise<Scenario[]> {
  await seedDemoData(clients);
  const [lastUnit] = (await call(clients.inventory, 'getStock', { skus: [LAST_UNIT_SKU] }, ADMIN)).stocks;
  const tooMany = Number(lastUnit?.available ?? 0) + 1;

  const scenarios: Scenario[] = [];
  for (const mode of TX_MODES) {
    const customer = `demo-${runId}-${mode}`;
    await call(
      clients.payment,
      'credit',
      {
        branch: { txId: `dtx-demo:${customer}`, branchId: 'credit' },
        customerId: customer,
        amount: RICH_BALANCE,
      },
      ADMIN,
    );
    const coupon = `DEMO-${runId}-${mode}`.toUpperCase();
    await call(
      clients.coupon,
      'issueCoupon',
      mode === 'saga'
        ? { code: coupon, discountType: 'FIXED', amountOff: 3_00 }
        : { code: coupon, discountType: 'PERCENT', percentOff: 15, maxDiscount: 20_00 },
      ADMIN,
    );
    const order = (body: Omit<PlaceOrderBody, 'mode'>): PlaceOrderBody => ({ ...body, mode });
    scenarios.push(
      {
        mode,
        name: SCENARIOS.success,
        body: order({
          customerId: customer,
          items: [
            { sku: 'DTX-TEE', quantity: 2 },
            { sku: 'DTX-MUG', quantity: 1 },
          ],
          couponCode: coupon,
        }),
        expected: { status: 'COMPLETED' },
      },
      {
        mode,
        name: SCENARIOS.couponUsed,
        body: order({
          customerId: customer,
          items: [{ sku: 'DTX-STICKERS', quantity: 3 }],
          couponCode: coupon,
        }),
        expected: { status: 'COMPENSATED', reason: 'COUPON_UNAVAILABLE', failedSteps: ['quote', 'coupon'] },
        after: SCENARIOS.success,
      },
      {
        mode,
        name: SCENARIOS.outOfStock,
        body: order({ customerId: customer, items: [{ sku: LAST_UNIT_SKU, quantity: tooMany }] }),
        // Reserve refuses one more than is left; once the last unit is gone the quote refuses the sold-out SKU
        expected: {
          status: 'COMPENSATED',
          reason: 'INSUFFICIENT_STOCK',
          failedSteps: ['inventory', 'quote'],
        },
      },
      {
        mode,
        name: SCENARIOS.insufficientFunds,
        body: order({ customerId: NEARLY_EMPTY_CUSTOMER, items: [{ sku: 'DTX-HOODIE', quantity: 1 }] }),
        expected: { status: 'COMPENSATED', reason: 'INSUFFICIENT_FUNDS', failedSteps: ['payment'] },
      },
    );
  }
  return scenarios;
}

/** Why `result` is not what `expected` says, or undefined. */
function mismatch(
  expected: Expected,
  result: Omit<ScenarioResult, 'scenario' | 'problem'>,
): string | undefined {
  const wanted = [expected.status, expected.reason, expected.failedSteps?.join('|')]
    .filter(Boolean)
    .join(' / ');
  if (result.status !== expected.status) return `expected ${wanted}`;
  if (expected.reason !== undefined && result.reason !== expected.reason) return `expected ${wanted}`;
  if (expected.failedSteps && !expected.failedSteps.includes(result.failedStep ?? ''))
    return `expected ${wanted}`;
  return undefined;
}

const OUTCOME_POLL_MS = 1_000;
const OUTCOME_TIMEOUT_MS = 180_000;

/** Places one order (waiting for its outcome) and compares it with the expected one. */
async function placeAndWait(api: ApiClient, runId: string, scenario: Scenario): Promise<ScenarioResult> {
  const key = `demo-${runId}-${scenario.mode}-${scenario.name.replace(/\s+/g, '-')}`;
  try {
    const placed = await api.placeOrder(scenario.body, key);
    let outcome = placed.outcome;
    const until = Date.now() + OUTCOME_TIMEOUT_MS;
    while (outcome === undefined && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, OUTCOME_POLL_MS));
      outcome = (await api.getOrder(placed.orderId)).outcome;
    }
    const result = {
      orderId: placed.orderId,
      status: outcome?.status ?? `${placed.status} (no outcome after ${OUTCOME_TIMEOUT_MS / 1000} s)`,
      failedStep: outcome?.failedStep,
      reason: outcome?.reason,
      temporalUi: placed.links.temporalUi,
    };
    return { scenario, ...result, problem: mismatch(scenario.expected, result) };
  } catch (error) {
    const message = error instanceof ApiError || error instanceof Error ? error.message : String(error);
    return { scenario, status: 'ERROR', reason: message, problem: `request failed: ${message}` };
  }
}

/** Runs every scenario: each mode's chain (success, then coupon reuse) alongside the independent ones. */
export async function runScenarios(
  api: ApiClient,
  runId: string,
  scenarios: Scenario[],
): Promise<ScenarioResult[]> {
  const results = new Map<Scenario, ScenarioResult>();
  const run = async (scenario: Scenario): Promise<void> => {
    results.set(scenario, await placeAndWait(api, runId, scenario));
    const followers = scenarios.filter((s) => s.mode === scenario.mode && s.after === scenario.name);
    await Promise.all(followers.map(run));
  };
  await Promise.all(scenarios.filter((s) => s.after === undefined).map(run));
  return scenarios.map((scenario) => results.get(scenario)!);
}
