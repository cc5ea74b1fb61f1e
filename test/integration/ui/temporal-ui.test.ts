/**
 * A real-browser check of the Temporal UI: a dtx saga that compensates (out of stock, real services and worker) is
 * found in the workflow list filtered by the TxStatus search attribute, and its page shows the workflow id, the
 * compensated result and the activity summaries. Screenshots go to test/artifacts/ (git-ignored).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { call } from '../../../services/rpc/clients';
import type { PlaceOrderResult } from '../../../workflows/contract';
import { TX_STATUS } from '../../../workflows/search-attributes';
import { eventually } from '../api/support/system';
import { startSystem, uid, type System } from '../workflows/support/system';
import { ARTIFACTS_DIR, launchChromium, type Browser } from './support/browser';

jest.setTimeout(180_000);

let dtx: System;
let browser: Browser | undefined;

beforeAll(async () => {
  dtx = await startSystem();
});
afterAll(async () => {
  await browser?.close();
  await dtx?.stop();
});

const UI_TIMEOUT_MS = 30_000;

async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, name);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

test('the Temporal UI lists a compensated dtx saga under TxStatus and opens its page', async () => {
  const sku = uid('UI-SKU');
  const customerId = uid('ui-cust');
  const orderId = uid('ui-order');
  await call(dtx.clients.inventory, 'upsertProduct', {
    sku,
    name: `UI test product ${sku}`,
    unitPrice: 1_500,
  });
  await call(dtx.clients.inventory, 'setStock', { sku, available: 1 });
  await call(dtx.clients.payment, 'credit', {
    branch: { txId: `seed-${customerId}`, branchId: 'credit' },
    customerId,
    amount: 10_000,
  });

  // two of a product with one in stock: Reserve is refused, CreateOrder is compensated
  const handle = await dtx.start('saga', { orderId, customerId, items: [{ sku, quantity: 2 }] });
  const result: PlaceOrderResult = await handle.result();
  expect(result).toMatchObject({
    status: 'COMPENSATED',
    reason: 'INSUFFICIENT_STOCK',
    failedStep: 'inventory',
  });

  // database truth behind the page: stock untouched, order cancelled, wallet not charged
  const stock = await call(dtx.clients.inventory, 'getStock', { skus: [sku] });
  expect(stock.stocks.map((s) => [s.available, s.frozen, s.sold].map(Number))).toEqual([[1, 0, 0]]);
  const order = await call(dtx.clients.order, 'getOrder', { orderId });
  expect(order.status).toBe('CANCELLED');
  const wallet = await call(dtx.clients.payment, 'getWallet', { customerId });
  expect([Number(wallet.balance), Number(wallet.frozen)]).toEqual([10_000, 0]);
  expect((await handle.describe()).typedSearchAttributes.get(TX_STATUS)).toBe('COMPENSATED');

  // visibility is eventually consistent: wait until the list query the page runs finds it
  const query = `TxStatus="COMPENSATED" AND CustomerId="${customerId}"`;
  await eventually(async () => {
    for await (const execution of dtx.client.workflow.list({ query })) {
      if (execution.workflowId === handle.workflowId) return true;
    }
    return undefined;
  }, 'the workflow in the TxStatus-filtered visibility list');

  browser = await launchChromium();
  const page = await browser.context.newPage();
  const namespace = encodeURIComponent(dtx.config.temporal.namespace);
  const listUrl = `${dtx.config.temporal.uiUrl}/namespaces/${namespace}/workflows?query=${encodeURIComponent(query)}`;
  await page.goto(listUrl, { waitUntil: 'domcontentloaded' });

  // the list shows the TxStatus filter and our workflow as a link
  await page
    .getByText('TxStatus', { exact: false })
    .first()
    .waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  const row = page
    .locator(`a[href*="/workflows/${handle.workflowId}/"]`)
    .filter({ hasText: handle.workflowId });
  await row.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  expect(await row.count()).toBe(1);
  const listShot = await screenshot(page, 'temporal-ui-list.png');

  await row.first().click();
  await page.waitForURL((url) => url.pathname.includes(`/workflows/${handle.workflowId}/`), {
    timeout: UI_TIMEOUT_MS,
  });
  await page
    .getByRole('heading', { name: handle.workflowId })
    .waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  // the result and the activity summaries the workflow wrote
  await page.getByText('"INSUFFICIENT_STOCK"').first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  await page
    .getByText(`inventory.Reserve: 2× ${sku}`, { exact: false })
    .first()
    .waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  await page
    .getByText(`order.CancelOrder: cancel order ${orderId}`, { exact: false })
    .first()
    .waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  const body = await page.locator('body').innerText();
  expect(body).toContain(handle.workflowId);
  expect(body).toContain('placeOrderSaga');
  expect(body).toContain('"COMPENSATED"');
  const pageShot = await screenshot(page, 'temporal-ui-workflow.png');

  expect(fs.statSync(listShot).size).toBeGreaterThan(10_000);
  expect(fs.statSync(pageShot).size).toBeGreaterThan(10_000);
});
