/** The InventoryService RPCs: catalogue, stock, saga Reserve/Release and TCC TryReserve/ConfirmReserve/CancelReserve. */
import type { Knex } from 'knex';
import type { InventoryServiceHandlers } from '../../proto/gen/dtx/v1/InventoryService';
import type { ReservationResult } from '../../proto/gen/dtx/v1/ReservationResult';
import type { TxMode } from '../../workflows/names';
import { withBarrier, type BranchKey } from '../barrier';
import { FORWARD_OP, recordOf, settleRpcs, type SettleOp } from '../lib/branch';
import { requestFingerprint } from '../lib/fingerprint';
import { emitEvent } from '../lib/events';
import { BusinessRejectionError } from '../rpc/errors';
import type { CallContext, Handlers } from '../rpc/server';
import {
  firstSoldOut,
  insertReservations,
  moveStock,
  requireProducts,
  reservationsOf,
  setAvailable,
  setReservationState,
  stockOf,
  takeStock,
  upsertProduct,
  type ReservationState,
  type StockColumn,
  type StockRow,
} from './store';
import {
  validateGetStock,
  validateProduct,
  validateQuote,
  validateReserve,
  validateSetStock,
  type ValidReserve,
} from './validate';

/** One event per SKU line (aggregate = sku), carrying the order and the stock after the change. */
function stockEvent(
  trx: Knex.Transaction,
  ctx: CallContext,
  eventType: string,
  branch: BranchKey,
  orderId: string,
  quantity: number,
  stock: StockRow,
  reason?: string,
): Promise<string> {
  return emitEvent(trx, ctx, 'inventory', stock.sku, eventType, {
    orderId,
    txId: branch.txId,
    branchId: branch.branchId,
    sku: stock.sku,
    quantity,
    available: stock.available,
    frozen: stock.frozen,
    sold: stock.sold,
    ...(reason !== undefined ? { reason } : {}),
  });
}

/** Reserve (saga) and TryReserve (tcc): where the stock goes, the reservations' state, the event per line. */
const RESERVE: Record<TxMode, { to: StockColumn; state: ReservationState; event: string }> = {
  saga: { to: 'sold', state: 'RESERVED', event: 'StockReserved' },
  tcc: { to: 'frozen', state: 'FROZEN', event: 'StockFrozen' },
};

/** Release, ConfirmReserve, CancelReserve: the reservations' state before and after, the stock move, the event. */
interface StockSettle {
  expected: ReservationState;
  next: ReservationState;
  from: StockColumn;
  to: StockColumn;
  event: string;
}
const SETTLE: Record<SettleOp, StockSettle> = {
  compensate: {
    expected: 'RESERVED',
    next: 'RELEASED',
    from: 'sold',
    to: 'available',
    event: 'StockReleased',
  },
  confirm: { expected: 'FROZEN', next: 'CONFIRMED', from: 'frozen', to: 'sold', event: 'StockConfirmed' },
  cancel: { expected: 'FROZEN', next: 'CANCELLED', from: 'frozen', to: 'available', event: 'StockUnfrozen' },
};

export function inventoryHandlers(db: Knex): Handlers<InventoryServiceHandlers> {
  /** Takes the stock of every item (all or none) into the mode's column under the barrier. */
  async function reserve(input: ValidReserve, ctx: CallContext, mode: TxMode): Promise<ReservationResult> {
    await requireProducts(
      db,
      input.items.map((i) => i.sku),
    );
    const { to, state, event } = RESERVE[mode];
    const { outcome, value } = await withBarrier(
      db,
      input.branch,
      FORWARD_OP[mode],
      '',
      async (trx) => {
        const rows = await takeStock(trx, input.items, to);
        await insertReservations(trx, input.branch, input.orderId, input.items, mode, state);
        for (const [i, row] of rows.entries()) {
          await stockEvent(trx, ctx, event, input.branch, input.orderId, input.items[i].quantity, row);
        }
        return input.items;
      },
      async (trx) =>
        (await reservationsOf(trx, input.branch)).map(({ sku, quantity }) => ({ sku, quantity })),
      { fingerprint: requestFingerprint(input) },
    );
    return { outcome, items: value };
  }

  /** Moves what the branch reserved from one column to another and records the new reservation state. */
  const settle = settleRpcs(
    db,
    SETTLE,
    async ({ trx, ctx, branch, reason }, { expected, next, from, to, event }) => {
      const reservations = await reservationsOf(trx, branch, true);
      for (const r of reservations) {
        if (r.state !== expected)
          throw new Error(
            `reservation ${branch.txId}/${branch.branchId}/${r.sku} is ${r.state}, expected ${expected}`,
          );
        const row = await moveStock(trx, r.sku, r.quantity, from, to);
        if (!row)
          throw new Error(`stock of ${r.sku} has fewer than ${r.quantity} ${from} units to move back`);
        await stockEvent(trx, ctx, event, branch, r.orderId, r.quantity, row, reason);
      }
      await setReservationState(trx, branch, next);
    },
    async (trx, branch) =>
      recordOf((await reservationsOf(trx, branch))[0]?.state, ['RELEASED', 'CANCELLED'], ['CONFIRMED']),
  );

  return {
    Reserve: (request, ctx) => reserve(validateReserve(request), ctx, 'saga'),
    TryReserve: (request, ctx) => reserve(validateReserve(request), ctx, 'tcc'),
    Release: settle.compensate,
    ConfirmReserve: settle.confirm,
    CancelReserve: settle.cancel,

    GetStock: async (request) => {
      const skus = validateGetStock(request);
      await requireProducts(db, skus);
      return { stocks: await stockOf(db, skus) };
    },

    Quote: async (request) => {
      const items = validateQuote(request);
      const skus = items.map((i) => i.sku);
      const [products, soldOut] = await Promise.all([requireProducts(db, skus), firstSoldOut(db, skus)]);
      // the order is refused before it starts anything (see firstSoldOut); a short but not empty SKU goes on to Reserve
      if (soldOut !== undefined)
        throw new BusinessRejectionError('INSUFFICIENT_STOCK', `${soldOut} is sold out`);
      let subtotal = 0;
      const lines = items.map((item) => {
        const product = products.get(item.sku)!;
        const lineTotal = product.unitPrice * item.quantity;
        subtotal += lineTotal;
        return {
          sku: item.sku,
          name: product.name,
          quantity: item.quantity,
          unitPrice: product.unitPrice,
          lineTotal,
        };
      });
      if (!Number.isSafeInteger(subtotal)) throw new Error('quote subtotal exceeds the largest safe amount');
      return { lines, subtotal };
    },

    UpsertProduct: async (request, ctx) => {
      const product = validateProduct(request);
      await db.transaction(async (trx) => {
        if (await upsertProduct(trx, product)) {
          await emitEvent(trx, ctx, 'inventory', product.sku, 'ProductUpserted', { ...product });
        }
      });
      return product;
    },

    SetStock: async (request, ctx) => {
      const input = validateSetStock(request);
      return db.transaction(async (trx) => {
        const { row, changed } = await setAvailable(trx, input.sku, input.available);
        if (changed) await emitEvent(trx, ctx, 'inventory', row.sku, 'StockSet', { ...row });
        return row;
      });
    },
  };
}
