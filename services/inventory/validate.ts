/** Input validation of the inventory RPCs (INVALID_ARGUMENT naming the field). */
import type { GetStockRequest__Output } from '../../proto/gen/dtx/v1/GetStockRequest';
import type { Product__Output } from '../../proto/gen/dtx/v1/Product';
import type { QuoteRequest__Output } from '../../proto/gen/dtx/v1/QuoteRequest';
import type { ReserveRequest__Output } from '../../proto/gen/dtx/v1/ReserveRequest';
import type { SetStockRequest__Output } from '../../proto/gen/dtx/v1/SetStockRequest';
import type { BranchKey } from '../barrier';
import { InvalidArgumentError } from '../rpc/errors';
import { count, items, lines, money, requireBranch, requireId, text } from '../lib/validate';

export interface Item {
  sku: string;
  quantity: number;
}

export interface ValidReserve {
  branch: BranchKey;
  orderId: string;
  /** Sorted by SKU: rows are always locked in this order, so concurrent reservations cannot deadlock. */
  items: Item[];
}

export function validateReserve(request: ReserveRequest__Output): ValidReserve {
  const branch = requireBranch(request.branch);
  const orderId = requireId(request.orderId, 'order_id');
  const valid = items(request.items, 'items');
  return { branch, orderId, items: [...valid].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0)) };
}

export function validateQuote(request: QuoteRequest__Output): Item[] {
  return items(request.items, 'items');
}

export function validateGetStock(request: GetStockRequest__Output): string[] {
  const seen = new Set<string>();
  return lines(request.skus, 'skus').map((sku, i) => {
    const valid = requireId(sku, `skus[${i}]`);
    if (seen.has(valid)) throw new InvalidArgumentError(`skus[${i}]`, `duplicate SKU "${valid}"`);
    seen.add(valid);
    return valid;
  });
}

export function validateProduct(request: Product__Output): { sku: string; name: string; unitPrice: number } {
  return {
    sku: requireId(request.sku, 'sku'),
    name: text(request.name, 'name', { max: 200, required: true }),
    unitPrice: money(request.unitPrice, 'unit_price', { allowZero: true }),
  };
}

export function validateSetStock(request: SetStockRequest__Output): { sku: string; available: number } {
  return { sku: requireId(request.sku, 'sku'), available: count(request.available, 'available') };
}
