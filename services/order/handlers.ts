/** The OrderService RPCs: CreateOrder (action), ConfirmOrder (the pivot, action), CancelOrder (compensate), reads. */
import type { Knex } from 'knex';
import type { Order } from '../../proto/gen/dtx/v1/Order';
import type { OrderBranchRequest__Output } from '../../proto/gen/dtx/v1/OrderBranchRequest';
import type { OrderResult } from '../../proto/gen/dtx/v1/OrderResult';
import type { OrderServiceHandlers } from '../../proto/gen/dtx/v1/OrderService';
import { withBarrier } from '../barrier';
import { emitEvent } from '../lib/events';
import { requestFingerprint } from '../lib/fingerprint';
import { AlreadyExistsError, BusinessRejectionError, NotFoundError } from '../rpc/errors';
import type { CallContext, Handlers } from '../rpc/server';
import { findOrder, insertOrder, listOrders, setStatus, type OrderRecord } from './store';
import {
  encodePageToken,
  validateCreateOrder,
  validateGetOrder,
  validateListOrders,
  validateOrderBranch,
} from './validate';

function toProto(order: OrderRecord): Order {
  const { seq: _seq, ...proto } = order;
  return proto;
}

function orderPayload(order: OrderRecord, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    orderId: order.orderId,
    customerId: order.customerId,
    status: order.status,
    txId: order.txId,
    txMode: order.txMode,
    subtotal: order.subtotal,
    discount: order.discount,
    total: order.total,
    couponCode: order.couponCode,
    ...extra,
  };
}

export function orderHandlers(db: Knex): Handlers<OrderServiceHandlers> {
  async function requireOrder(trx: Knex.Transaction, orderId: string, txId: string): Promise<OrderRecord> {
    const order = await findOrder(trx, orderId, true);
    if (!order) throw new NotFoundError('order', orderId);
    if (order.txId !== txId)
      throw new BusinessRejectionError(
        'TX_MISMATCH',
        `order ${orderId} belongs to transaction ${order.txId}`,
      );
    return order;
  }

  async function current(trx: Knex.Transaction, orderId: string): Promise<Order | null> {
    const order = await findOrder(trx, orderId);
    return order ? toProto(order) : null;
  }

  /** The pivot and the compensation: PENDING → CONFIRMED or CANCELLED under the barrier, with its event. */
  async function leavePending(
    request: OrderBranchRequest__Output,
    ctx: CallContext,
    op: 'action' | 'compensate',
    to: 'CONFIRMED' | 'CANCELLED',
    eventType: 'OrderConfirmed' | 'OrderCancelled',
  ): Promise<OrderResult> {
    const input = validateOrderBranch(request);
    // only a cancel records why; a confirm has nothing to explain
    const reason = to === 'CANCELLED' ? input.reason : '';
    const { outcome, value } = await withBarrier(
      db,
      input.branch,
      op,
      reason,
      async (trx) => {
        const order = await requireOrder(trx, input.orderId, input.branch.txId);
        // already there, and the barrier rows of that call were purged: nothing to change
        if (order.status === to) return toProto(order);
        if (order.status !== 'PENDING') {
          throw new BusinessRejectionError(
            order.status === 'CANCELLED' ? 'ALREADY_CANCELLED' : 'ORDER_NOT_PENDING',
            `order ${order.orderId} is ${order.status}`,
          );
        }
        await setStatus(trx, order.orderId, to, reason);
        const changed = (await findOrder(trx, order.orderId))!;
        const extra = to === 'CANCELLED' ? { reason } : {};
        await emitEvent(trx, ctx, 'order', order.orderId, eventType, orderPayload(changed, extra));
        return toProto(changed);
      },
      (trx) => current(trx, input.orderId),
      op === 'compensate'
        ? {
            recorded: async (trx) => {
              const order = await findOrder(trx, input.orderId);
              if (!order || order.txId !== input.branch.txId) return 'absent';
              return order.status === 'CANCELLED' ? 'undone' : 'open';
            },
          }
        : { fingerprint: requestFingerprint(input) },
    );
    return { outcome, order: value };
  }

  return {
    CreateOrder: async (request, ctx: CallContext) => {
      const input = validateCreateOrder(request);
      const { outcome, value } = await withBarrier(
        db,
        input.branch,
        'action',
        '',
        async (trx) => {
          if (!(await insertOrder(trx, input))) {
            // the same transaction's order, its barrier rows purged: a repeat, not a clash
            const existing = await findOrder(trx, input.orderId);
            if (existing?.txId === input.branch.txId) return toProto(existing);
            throw new AlreadyExistsError('order', input.orderId, `order ${input.orderId} already exists`);
          }
          const order = (await findOrder(trx, input.orderId))!;
          await emitEvent(
            trx,
            ctx,
            'order',
            order.orderId,
            'OrderCreated',
            orderPayload(order, { lines: order.lines }),
          );
          return toProto(order);
        },
        (trx) => current(trx, input.orderId),
        { fingerprint: requestFingerprint(input) },
      );
      return { outcome, order: value };
    },

    ConfirmOrder: (request, ctx) => leavePending(request, ctx, 'action', 'CONFIRMED', 'OrderConfirmed'),
    CancelOrder: (request, ctx) => leavePending(request, ctx, 'compensate', 'CANCELLED', 'OrderCancelled'),

    GetOrder: async (request) => {
      const orderId = validateGetOrder(request);
      const order = await findOrder(db, orderId);
      if (!order) throw new NotFoundError('order', orderId);
      return toProto(order);
    },

    ListOrders: async (request) => {
      const input = validateListOrders(request);
      const rows = await listOrders(db, input.customerId, input.pageSize + 1, input.afterSeq);
      const page = rows.slice(0, input.pageSize);
      const more = rows.length > input.pageSize;
      return {
        orders: page.map(toProto),
        nextPageToken: more ? encodePageToken(page[page.length - 1].seq) : '',
      };
    },
  };
}
