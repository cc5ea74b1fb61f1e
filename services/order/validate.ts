/** Input validation of the order RPCs (INVALID_ARGUMENT naming the field). */
import type { CreateOrderRequest__Output } from '../../proto/gen/dtx/v1/CreateOrderRequest';
import type { GetOrderRequest__Output } from '../../proto/gen/dtx/v1/GetOrderRequest';
import type { ListOrdersRequest__Output } from '../../proto/gen/dtx/v1/ListOrdersRequest';
import type { OrderBranchRequest__Output } from '../../proto/gen/dtx/v1/OrderBranchRequest';
import type { BranchKey } from '../barrier';
import { InvalidArgumentError } from '../rpc/errors';
import {
  lines,
  money,
  optionalId,
  quantity,
  requireBranch,
  requireId,
  safeProduct,
  safeSum,
  text,
} from '../lib/validate';

export interface OrderLineInput {
  sku: string;
  quantity: number;
  unitPrice: number;
  lineTotal: number;
}

export interface ValidCreateOrder {
  branch: BranchKey;
  orderId: string;
  customerId: string;
  lines: OrderLineInput[];
  subtotal: number;
  discount: number;
  total: number;
  couponCode: string;
  txMode: '' | 'saga' | 'tcc';
}

export function validateCreateOrder(request: CreateOrderRequest__Output): ValidCreateOrder {
  const branch = requireBranch(request.branch);
  const orderId = requireId(request.orderId, 'order_id');
  const customerId = requireId(request.customerId, 'customer_id');
  const seen = new Set<string>();
  const valid = lines(request.lines, 'lines').map((line, i) => {
    const sku = requireId(line.sku, `lines[${i}].sku`);
    if (seen.has(sku)) throw new InvalidArgumentError(`lines[${i}].sku`, `duplicate SKU "${sku}"`);
    seen.add(sku);
    const qty = quantity(line.quantity, `lines[${i}].quantity`);
    const unitPrice = money(line.unitPrice, `lines[${i}].unit_price`, { allowZero: true });
    const lineTotal = safeProduct(unitPrice, qty, `lines[${i}].line_total`);
    // line_total is optional in the request; when given it must agree with unit_price x quantity
    if (line.lineTotal !== 0 && line.lineTotal !== lineTotal) {
      throw new InvalidArgumentError(
        `lines[${i}].line_total`,
        `must be unit_price x quantity = ${lineTotal}`,
      );
    }
    return { sku, quantity: qty, unitPrice, lineTotal };
  });
  const subtotal = safeSum(
    valid.map((l) => l.lineTotal),
    'lines',
  );
  const discount = money(request.discount, 'discount', { allowZero: true });
  if (discount > subtotal)
    throw new InvalidArgumentError('discount', `must not exceed the subtotal ${subtotal}`);
  const txMode = request.txMode;
  if (txMode !== '' && txMode !== 'saga' && txMode !== 'tcc')
    throw new InvalidArgumentError('tx_mode', 'must be saga or tcc');
  return {
    branch,
    orderId,
    customerId,
    lines: valid,
    subtotal,
    discount,
    total: subtotal - discount,
    couponCode: optionalId(request.couponCode, 'coupon_code'),
    txMode,
  };
}

export function validateOrderBranch(request: OrderBranchRequest__Output): {
  branch: BranchKey;
  orderId: string;
  reason: string;
} {
  return {
    branch: requireBranch(request.branch),
    orderId: requireId(request.orderId, 'order_id'),
    reason: text(request.reason, 'reason'),
  };
}

export function validateGetOrder(request: GetOrderRequest__Output): string {
  return requireId(request.orderId, 'order_id');
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** Page tokens are the base64url of the last row's seq: opaque to callers, checked here. */
export function encodePageToken(seq: number): string {
  return Buffer.from(`seq:${seq}`).toString('base64url');
}

export function validateListOrders(request: ListOrdersRequest__Output): {
  customerId: string;
  pageSize: number;
  afterSeq?: number;
} {
  const customerId = requireId(request.customerId, 'customer_id');
  const pageSize = request.pageSize === 0 ? DEFAULT_PAGE_SIZE : request.pageSize;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new InvalidArgumentError('page_size', `must be 1..${MAX_PAGE_SIZE} (0 = ${DEFAULT_PAGE_SIZE})`);
  }
  if (request.pageToken === '') return { customerId, pageSize };
  const match =
    request.pageToken.length <= 64
      ? /^seq:(\d{1,16})$/.exec(Buffer.from(request.pageToken, 'base64url').toString())
      : null;
  if (!match) throw new InvalidArgumentError('page_token', 'is not a token returned by ListOrders');
  return { customerId, pageSize, afterSeq: Number(match[1]) };
}
