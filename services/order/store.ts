/** SQL of the order service (dtx_order). */
import type { Knex } from 'knex';
import type { Order } from '../../proto/gen/dtx/v1/Order';
import { noteAggregateVersion } from '../lib/events';
import { toIso, toNumber } from '../lib/values';
import type { ValidCreateOrder } from './validate';

export type OrderStatus = 'PENDING' | 'CONFIRMED' | 'CANCELLED';

interface OrderRow {
  order_id: string;
  seq: string;
  customer_id: string;
  status: OrderStatus;
  subtotal: string;
  discount: string;
  total: string;
  coupon_code: string;
  tx_mode: string;
  tx_id: string;
  cancel_reason: string;
  created_at: Date;
  updated_at: Date;
}

interface LineRow {
  order_id: string;
  sku: string;
  quantity: number;
  unit_price: string;
  line_total: string;
}

export type OrderRecord = Required<Omit<Order, 'lines'>> & {
  lines: Required<NonNullable<Order['lines']>[number]>[];
  seq: number;
};

function toOrder(row: OrderRow, lines: LineRow[]): OrderRecord {
  return {
    orderId: row.order_id,
    seq: toNumber(row.seq),
    customerId: row.customer_id,
    status: row.status,
    lines: lines.map((l) => ({
      sku: l.sku,
      quantity: l.quantity,
      unitPrice: toNumber(l.unit_price),
      lineTotal: toNumber(l.line_total),
    })),
    subtotal: toNumber(row.subtotal),
    discount: toNumber(row.discount),
    total: toNumber(row.total),
    couponCode: row.coupon_code,
    txMode: row.tx_mode,
    txId: row.tx_id,
    cancelReason: row.cancel_reason,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  };
}

/**
 * Inserts the order and its lines (the order's first version is noted for its event); returns false (nothing written)
 * when the order id is already taken.
 */
export async function insertOrder(trx: Knex.Transaction, input: ValidCreateOrder): Promise<boolean> {
  const result = await trx.raw<{ rows: { version: string }[] }>(
    `insert into orders (order_id, customer_id, status, subtotal, discount, total, coupon_code, tx_mode, tx_id)
     values (?, ?, 'PENDING', ?, ?, ?, ?, ?, ?) on conflict (order_id) do nothing returning version`,
    [
      input.orderId,
      input.customerId,
      input.subtotal,
      input.discount,
      input.total,
      input.couponCode,
      input.txMode,
      input.branch.txId,
    ],
  );
  if (result.rows.length !== 1) return false;
  noteAggregateVersion(trx, 'order', input.orderId, result.rows[0].version);
  await trx('order_lines').insert(
    input.lines.map((l, i) => ({
      order_id: input.orderId,
      line_no: i,
      sku: l.sku,
      quantity: l.quantity,
      unit_price: l.unitPrice,
      line_total: l.lineTotal,
    })),
  );
  return true;
}

/** One order with its lines (row locked FOR UPDATE when asked), or undefined. */
export async function findOrder(db: Knex, orderId: string, lock = false): Promise<OrderRecord | undefined> {
  const query = db<OrderRow>('orders').where({ order_id: orderId }).first();
  const row = await (lock ? query.forUpdate() : query);
  if (!row) return undefined;
  const lines = await db<LineRow>('order_lines').where({ order_id: orderId }).orderBy('line_no');
  return toOrder(row, lines);
}

/** Sets the order's status; bumps its version (noted for the event of the change). */
export async function setStatus(
  trx: Knex.Transaction,
  orderId: string,
  status: OrderStatus,
  cancelReason = '',
): Promise<void> {
  const result = await trx.raw<{ rows: { version: string }[] }>(
    `update orders set status = ?, cancel_reason = ?, version = version + 1, updated_at = now()
     where order_id = ? returning version`,
    [status, cancelReason, orderId],
  );
  if (result.rows.length === 1) noteAggregateVersion(trx, 'order', orderId, result.rows[0].version);
}

/** A customer's orders, newest first, after the given seq (keyset pagination); one extra row tells if more exist. */
export async function listOrders(
  db: Knex,
  customerId: string,
  limit: number,
  afterSeq?: number,
): Promise<OrderRecord[]> {
  const rows = await db<OrderRow>('orders')
    .where({ customer_id: customerId })
    .andWhere('seq', '<', afterSeq ?? Number.MAX_SAFE_INTEGER)
    .orderBy('seq', 'desc')
    .limit(limit);
  if (rows.length === 0) return [];
  const lines = await db<LineRow>('order_lines')
    .whereIn(
      'order_id',
      rows.map((r) => r.order_id),
    )
    .orderBy(['order_id', 'line_no']);
  return rows.map((row) =>
    toOrder(
      row,
      lines.filter((l) => l.order_id === row.order_id),
    ),
  );
}
