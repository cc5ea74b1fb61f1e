/** Input validation shared by every service: each check throws InvalidArgumentError naming the field. */
import type { Branch__Output } from '../../proto/gen/dtx/v1/Branch';
import type { BranchKey } from '../barrier';
import { InvalidArgumentError } from '../rpc/errors';
import { MAX_ID_LENGTH, MAX_LINES, MAX_QUANTITY, MAX_TEXT_LENGTH } from '../rpc/limits';

// printable, no whitespace or control characters: ids end up in logs, Kafka keys and URLs
const ID_PATTERN = /^[\x21-\x7e]+$/;

/** A required id: non-empty, at most MAX_ID_LENGTH printable ASCII characters without spaces. */
export function requireId(value: string | undefined, field: string): string {
  if (value === undefined || value === '') throw new InvalidArgumentError(field, 'is required');
  if (value.length > MAX_ID_LENGTH)
    throw new InvalidArgumentError(field, `is longer than ${MAX_ID_LENGTH} characters`);
  if (!ID_PATTERN.test(value))
    throw new InvalidArgumentError(field, 'must be printable ASCII without spaces');
  return value;
}

/** An optional id: empty means absent, otherwise as requireId. */
export function optionalId(value: string | undefined, field: string): string {
  return value === undefined || value === '' ? '' : requireId(value, field);
}

/** Free text up to `max` characters (may be empty unless `required`). */
export function text(
  value: string | undefined,
  field: string,
  options: { max?: number; required?: boolean } = {},
): string {
  const max = options.max ?? MAX_TEXT_LENGTH;
  const v = value ?? '';
  if (options.required && v.trim() === '') throw new InvalidArgumentError(field, 'is required');
  if (v.length > max) throw new InvalidArgumentError(field, `is longer than ${max} characters`);
  return v;
}

/** The barrier key of a mutating request. */
export function requireBranch(branch: Branch__Output | null | undefined, field = 'branch'): BranchKey {
  if (!branch) throw new InvalidArgumentError(field, 'is required');
  return {
    txId: requireId(branch.txId, `${field}.tx_id`),
    branchId: requireId(branch.branchId, `${field}.branch_id`),
  };
}

/** A positive integer quantity (1..MAX_QUANTITY). */
export function quantity(value: number, field: string): number {
  if (!Number.isInteger(value) || value <= 0)
    throw new InvalidArgumentError(field, 'must be a positive integer');
  if (value > MAX_QUANTITY) throw new InvalidArgumentError(field, `must be at most ${MAX_QUANTITY}`);
  return value;
}

/** Money in minor units: a safe integer, > 0 (or >= 0 with allowZero). */
export function money(value: number, field: string, options: { allowZero?: boolean } = {}): number {
  if (!Number.isInteger(value))
    throw new InvalidArgumentError(field, 'must be an integer amount in minor units');
  if (!Number.isSafeInteger(value))
    throw new InvalidArgumentError(field, 'is above the largest supported amount');
  if (value < 0 || (value === 0 && !options.allowZero)) {
    throw new InvalidArgumentError(field, options.allowZero ? 'must not be negative' : 'must be positive');
  }
  return value;
}

/** A non-empty list of at most MAX_LINES entries. */
export function lines<T>(values: T[] | undefined, field: string): T[] {
  if (!values || values.length === 0) throw new InvalidArgumentError(field, 'must not be empty');
  if (values.length > MAX_LINES)
    throw new InvalidArgumentError(field, `must have at most ${MAX_LINES} entries`);
  return values;
}

/** Items (sku, quantity) of a reservation or quote: ids, positive quantities, no SKU twice. */
export function items(
  values: { sku: string; quantity: number }[] | undefined,
  field = 'items',
): { sku: string; quantity: number }[] {
  const seen = new Set<string>();
  return lines(values, field).map((item, i) => {
    const sku = requireId(item.sku, `${field}[${i}].sku`);
    if (seen.has(sku)) throw new InvalidArgumentError(`${field}[${i}].sku`, `duplicate SKU "${sku}"`);
    seen.add(sku);
    return { sku, quantity: quantity(item.quantity, `${field}[${i}].quantity`) };
  });
}

/** Sum of safe integers, refusing a result past Number.MAX_SAFE_INTEGER. */
export function safeSum(values: number[], field: string): number {
  let total = 0;
  for (const v of values) {
    total += v;
    if (!Number.isSafeInteger(total))
      throw new InvalidArgumentError(field, 'total is above the largest supported amount');
  }
  return total;
}

/** a * b for safe integers, refusing a result past Number.MAX_SAFE_INTEGER. */
export function safeProduct(a: number, b: number, field: string): number {
  const product = a * b;
  if (!Number.isSafeInteger(product))
    throw new InvalidArgumentError(field, 'is above the largest supported amount');
  return product;
}

/** A count (e.g. units in stock): a safe integer >= 0. */
export function count(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new InvalidArgumentError(field, 'must be a non-negative integer');
  return value;
}
