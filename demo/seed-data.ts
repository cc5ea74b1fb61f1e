/**
 * The demo data `npm start` seeds on first run (and `npm run seed` on demand), written through the services' admin
 * RPCs: products with stock, single-use coupons, funded wallets. Every write is safe to repeat: products and coupons
 * are only created when missing (a rerun never resets stock that orders consumed), and each wallet is credited under
 * a fixed barrier branch, so a rerun is a DUPLICATE, never a second credit. Money in minor units (cents).
 */
import * as grpc from '@grpc/grpc-js';
import { call, type ServiceClients } from '../services/rpc/clients';

export interface SeedProduct {
  sku: string;
  name: string;
  unitPrice: number;
  stock: number;
}

export interface SeedCoupon {
  code: string;
  discountType: 'FIXED' | 'PERCENT';
  amountOff?: number;
  percentOff?: number;
  maxDiscount?: number;
  minOrderAmount?: number;
  description: string;
}

export interface SeedWallet {
  customerId: string;
  amount: number;
  description: string;
}

/** Plenty of stock for the demo's successes; one product with a single unit for out-of-stock. */
export const SEED_PRODUCTS: readonly SeedProduct[] = [
  { sku: 'DTX-TEE', name: 'dtx T-shirt', unitPrice: 19_99, stock: 100_000 },
  { sku: 'DTX-MUG', name: 'dtx mug', unitPrice: 12_50, stock: 100_000 },
  { sku: 'DTX-HOODIE', name: 'dtx hoodie', unitPrice: 49_99, stock: 100_000 },
  { sku: 'DTX-STICKERS', name: 'dtx sticker pack', unitPrice: 3_99, stock: 100_000 },
  { sku: 'DTX-LAST-ONE', name: 'Signed first edition (one left)', unitPrice: 25_00, stock: 1 },
];

/** The product with a single unit: ordering two of it is out of stock. */
export const LAST_UNIT_SKU = 'DTX-LAST-ONE';

export const SEED_COUPONS: readonly SeedCoupon[] = [
  {
    code: 'WELCOME5',
    discountType: 'FIXED',
    amountOff: 5_00,
    minOrderAmount: 10_00,
    description: '5.00 off orders from 10.00',
  },
  {
    code: 'SAVE10',
    discountType: 'PERCENT',
    percentOff: 10,
    maxDiscount: 20_00,
    description: '10 % off, at most 20.00',
  },
  {
    code: 'HALFOFF',
    discountType: 'PERCENT',
    percentOff: 50,
    maxDiscount: 50_00,
    description: '50 % off, at most 50.00',
  },
];

export const SEED_WALLETS: readonly SeedWallet[] = [
  { customerId: 'alice', amount: 1_000_00, description: 'funded' },
  { customerId: 'bob', amount: 500_00, description: 'funded' },
  { customerId: 'carol', amount: 250_00, description: 'funded' },
  { customerId: 'dave', amount: 1_00, description: 'nearly empty (insufficient funds)' },
];

/** The barrier key of a seed credit: fixed, so a rerun of the seed is a DUPLICATE credit. */
export function seedCreditBranch(customerId: string): { txId: string; branchId: string } {
  return { txId: `dtx-seed-v1:${customerId}`, branchId: 'credit' };
}

export interface SeedSummary {
  productsCreated: string[];
  couponsCreated: string[];
  walletsCredited: string[];
  /** Items that were there already (left as they are). */
  present: string[];
}

const isNotFound = (error: unknown) =>
  (error as grpc.ServiceError | undefined)?.code === grpc.status.NOT_FOUND;

/** Resolves true when the read finds the thing, false on NOT_FOUND; other errors reject. */
async function exists(read: () => Promise<unknown>): Promise<boolean> {
  try {
    await read();
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

const ADMIN_DEADLINE_MS = 10_000;
const opts = { deadlineMs: ADMIN_DEADLINE_MS };

/** True when every seed product, coupon and wallet exists (the seed marker is the data itself). */
export async function isSeeded(clients: ServiceClients): Promise<boolean> {
  const checks = [
    ...SEED_PRODUCTS.map((p) => () => call(clients.inventory, 'getStock', { skus: [p.sku] }, opts)),
    ...SEED_COUPONS.map((c) => () => call(clients.coupon, 'getCoupon', { code: c.code }, opts)),
    ...SEED_WALLETS.map((w) => () => call(clients.payment, 'getWallet', { customerId: w.customerId }, opts)),
  ];
  for (const check of checks) if (!(await exists(check))) return false;
  return true;
}

/** Creates whatever of the seed data is missing; repeats are no-ops (see the module comment). */
export async function seedDemoData(clients: ServiceClients): Promise<SeedSummary> {
  const summary: SeedSummary = { productsCreated: [], couponsCreated: [], walletsCredited: [], present: [] };
  for (const product of SEED_PRODUCTS) {
    if (await exists(() => call(clients.inventory, 'getStock', { skus: [product.sku] }, opts))) {
      summary.present.push(`product ${product.sku}`);
      continue;
    }
    await call(
      clients.inventory,
      'upsertProduct',
      { sku: product.sku, name: product.name, unitPrice: product.unitPrice },
      opts,
    );
    // only for a new product: a rerun must not refill stock that orders took
    await call(clients.inventory, 'setStock', { sku: product.sku, available: product.stock }, opts);
    summary.productsCreated.push(product.sku);
  }
  for (const coupon of SEED_COUPONS) {
    if (await exists(() => call(clients.coupon, 'getCoupon', { code: coupon.code }, opts))) {
      summary.present.push(`coupon ${coupon.code}`);
      continue;
    }
    await call(
      clients.coupon,
      'issueCoupon',
      {
        code: coupon.code,
        discountType: coupon.discountType,
        amountOff: coupon.amountOff ?? 0,
        percentOff: coupon.percentOff ?? 0,
        maxDiscount: coupon.maxDiscount ?? 0,
        minOrderAmount: coupon.minOrderAmount ?? 0,
      },
      opts,
    );
    summary.couponsCreated.push(coupon.code);
  }
  for (const wallet of SEED_WALLETS) {
    const result = await call(
      clients.payment,
      'credit',
      { branch: seedCreditBranch(wallet.customerId), customerId: wallet.customerId, amount: wallet.amount },
      opts,
    );
    if (result.outcome === 'APPLIED') summary.walletsCredited.push(wallet.customerId);
    else summary.present.push(`wallet ${wallet.customerId} (credit ${result.outcome})`);
  }
  return summary;
}

/** One line saying what a seed run did. */
export function summaryLine(summary: SeedSummary): string {
  const created = [
    summary.productsCreated.length > 0 ? `products ${summary.productsCreated.join(', ')}` : '',
    summary.couponsCreated.length > 0 ? `coupons ${summary.couponsCreated.join(', ')}` : '',
    summary.walletsCredited.length > 0 ? `wallets credited ${summary.walletsCredited.join(', ')}` : '',
  ].filter((part) => part !== '');
  return created.length > 0 ? `seeded: ${created.join('; ')}` : 'demo data already present; nothing written';
}

/** "12.50" for 1250 minor units. */
export function formatMoney(minorUnits: number): string {
  const sign = minorUnits < 0 ? '-' : '';
  const abs = Math.abs(minorUnits);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** What the seed holds, one line each (for `npm run seed` and the banner). */
export function describeSeedData(): string[] {
  return [
    ...SEED_PRODUCTS.map(
      (p) =>
        `product  ${p.sku.padEnd(13)} ${formatMoney(p.unitPrice).padStart(6)}  stock ${p.stock}  ${p.name}`,
    ),
    ...SEED_COUPONS.map((c) => `coupon   ${c.code.padEnd(13)} ${c.description} (single use)`),
    ...SEED_WALLETS.map(
      (w) => `wallet   ${w.customerId.padEnd(13)} ${formatMoney(w.amount).padStart(8)}  ${w.description}`,
    ),
  ];
}
