/** SQL of the inventory service (dtx_inventory); every function runs in the caller's transaction or knex. */
import type { Knex } from 'knex';
import { BusinessRejectionError, NotFoundError } from '../rpc/errors';
import { noteAggregateVersion } from '../lib/events';
import { toNumber } from '../lib/values';
import type { BranchKey } from '../barrier';
import type { Item } from './validate';

export type StockColumn = 'available' | 'frozen' | 'sold';
export type ReservationMode = 'saga' | 'tcc';
export type ReservationState = 'RESERVED' | 'RELEASED' | 'FROZEN' | 'CONFIRMED' | 'CANCELLED';

export interface StockRow {
  sku: string;
  available: number;
  frozen: number;
  sold: number;
}

export interface ProductRow {
  sku: string;
  name: string;
  unitPrice: number;
}

export interface ReservationRow {
  sku: string;
  quantity: number;
  orderId: string;
  state: ReservationState;
}

interface RawStock {
  sku: string;
  available: string;
  frozen: string;
  sold: string;
}

/** A changed stock row: its version (bumped in the same UPDATE) is noted for the event of the change. */
interface ChangedStock extends RawStock {
  version: string;
}

function changed(trx: Knex.Transaction, row: ChangedStock): StockRow {
  noteAggregateVersion(trx, 'inventory', row.sku, row.version);
  return toStock(row);
}

const toStock = (row: RawStock): StockRow => ({
  sku: row.sku,
  available: toNumber(row.available),
  frozen: toNumber(row.frozen),
  sold: toNumber(row.sold),
});

/** Products of these SKUs; throws NotFoundError for the first unknown one. */
export async function requireProducts(db: Knex, skus: string[]): Promise<Map<string, ProductRow>> {
  const rows = await db<{ sku: string; name: string; unit_price: string }>('products')
    .whereIn('sku', skus)
    .select('sku', 'name', 'unit_price');
  const bySku = new Map(
    rows.map((r) => [r.sku, { sku: r.sku, name: r.name, unitPrice: toNumber(r.unit_price) }]),
  );
  const missing = skus.find((sku) => !bySku.has(sku));
  if (missing !== undefined) throw new NotFoundError('sku', missing);
  return bySku;
}

/**
 * The first of these SKUs with nothing available (a committed read, no lock), or undefined. A sold-out SKU is refused
 * at the quote: Reserve/TryReserve would refuse it at this moment too (they take from `available` only), and the quote
 * refusing it spares the order record, the barrier rows and the undo (the flash-sale case: thousands of buyers after
 * the last unit). Units that come back later (a compensated reservation) are sold to the orders that come after.
 */
export async function firstSoldOut(db: Knex, skus: string[]): Promise<string | undefined> {
  const row = await db('stock')
    .whereIn('sku', skus)
    .where('available', '<=', 0)
    .orderBy('sku')
    .first<{ sku: string } | undefined>('sku');
  return row?.sku;
}

/**
 * Moves `quantity` units of a SKU from one column to another, only if `from` holds enough (a conditional update:
 * the row lock plus the re-checked WHERE make concurrent takers of the last units queue, never oversell).
 * Returns the new row, or undefined when `from` had too few.
 */
export async function moveStock(
  trx: Knex.Transaction,
  sku: string,
  quantity: number,
  from: StockColumn,
  to: StockColumn,
): Promise<StockRow | undefined> {
  const result = await trx.raw<{ rows: ChangedStock[] }>(
    `update stock set ${from} = ${from} - ?, ${to} = ${to} + ?, version = version + 1, updated_at = now()
      where sku = ? and ${from} >= ? returning sku, available, frozen, sold, version`,
    [quantity, quantity, sku, quantity],
  );
  return result.rows[0] ? changed(trx, result.rows[0]) : undefined;
}

/** Takes every item from `available` into `to`, in the given (SKU-sorted) order; all or nothing (INSUFFICIENT_STOCK). */
export async function takeStock(trx: Knex.Transaction, items: Item[], to: StockColumn): Promise<StockRow[]> {
  const rows: StockRow[] = [];
  for (const item of items) {
    const row = await moveStock(trx, item.sku, item.quantity, 'available', to);
    if (!row) {
      throw new BusinessRejectionError(
        'INSUFFICIENT_STOCK',
        `not enough stock of ${item.sku} for ${item.quantity} unit(s)`,
      );
    }
    rows.push(row);
  }
  return rows;
}

export async function insertReservations(
  trx: Knex.Transaction,
  branch: BranchKey,
  orderId: string,
  items: Item[],
  mode: ReservationMode,
  state: ReservationState,
): Promise<void> {
  await trx('reservations').insert(
    items.map((item) => ({
      tx_id: branch.txId,
      branch_id: branch.branchId,
      sku: item.sku,
      order_id: orderId,
      quantity: item.quantity,
      mode,
      state,
    })),
  );
}

/** The reservation lines of a branch, SKU-sorted (locked FOR UPDATE when asked). */
export async function reservationsOf(db: Knex, branch: BranchKey, lock = false): Promise<ReservationRow[]> {
  const query = db('reservations')
    .where({ tx_id: branch.txId, branch_id: branch.branchId })
    .orderBy('sku')
    .select<{ sku: string; quantity: number; order_id: string; state: ReservationState }[]>(
      'sku',
      'quantity',
      'order_id',
      'state',
    );
  const rows = await (lock ? query.forUpdate() : query);
  return rows.map((r) => ({ sku: r.sku, quantity: r.quantity, orderId: r.order_id, state: r.state }));
}

export async function setReservationState(
  trx: Knex.Transaction,
  branch: BranchKey,
  state: ReservationState,
): Promise<void> {
  await trx('reservations')
    .where({ tx_id: branch.txId, branch_id: branch.branchId })
    .update({ state, updated_at: trx.fn.now() });
}

export async function stockOf(db: Knex, skus: string[]): Promise<StockRow[]> {
  const rows = await db<RawStock>('stock')
    .whereIn('sku', skus)
    .orderBy('sku')
    .select('sku', 'available', 'frozen', 'sold');
  return rows.map(toStock);
}

/**
 * Creates or updates a product (and its empty stock row); returns whether anything changed. A change also bumps the
 * stock row's version: the SKU's events (product and stock) share one aggregate, ordered by that row.
 */
export async function upsertProduct(trx: Knex.Transaction, product: ProductRow): Promise<boolean> {
  const result = await trx.raw<{ rowCount: number }>(
    `insert into products (sku, name, unit_price) values (?, ?, ?)
     on conflict (sku) do update set name = excluded.name, unit_price = excluded.unit_price, updated_at = now()
       where products.name is distinct from excluded.name or products.unit_price is distinct from excluded.unit_price`,
    [product.sku, product.name, product.unitPrice],
  );
  if (result.rowCount !== 1) {
    await trx.raw(`insert into stock (sku) values (?) on conflict (sku) do nothing`, [product.sku]);
    return false;
  }
  const stock = await trx.raw<{ rows: ChangedStock[] }>(
    `insert into stock (sku) values (?)
     on conflict (sku) do update set version = stock.version + 1, updated_at = now()
     returning sku, available, frozen, sold, version`,
    [product.sku],
  );
  changed(trx, stock.rows[0]);
  return true;
}

/** Sets `available` of a SKU; returns the row and whether it changed (NotFoundError for an unknown SKU). */
export async function setAvailable(
  trx: Knex.Transaction,
  sku: string,
  available: number,
): Promise<{ row: StockRow; changed: boolean }> {
  const current = await trx<RawStock>('stock')
    .where({ sku })
    .forUpdate()
    .first('sku', 'available', 'frozen', 'sold');
  if (!current) throw new NotFoundError('sku', sku);
  if (toNumber(current.available) === available) return { row: toStock(current), changed: false };
  const result = await trx.raw<{ rows: ChangedStock[] }>(
    `update stock set available = ?, version = version + 1, updated_at = now() where sku = ?
     returning sku, available, frozen, sold, version`,
    [available, sku],
  );
  return { row: changed(trx, result.rows[0]), changed: true };
}
