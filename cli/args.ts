/** Parsing of the CLI's own argument formats (pure: unit-tested). */
import { InvalidArgumentError } from 'commander';
import { orderIdFromWorkflowId, TX_MODES, TX_STATUSES, workflowIdFor } from '../workflows/names';

export interface ItemArg {
  sku: string;
  quantity: number;
}

/** `SKU:QTY` (QTY a whole number ≥ 1; the SKU may itself contain colons: the last one separates). */
export function parseItem(value: string): ItemArg {
  const index = value.lastIndexOf(':');
  if (index <= 0 || index === value.length - 1) {
    throw new InvalidArgumentError(`expected SKU:QTY, got "${value}"`);
  }
  const sku = value.slice(0, index);
  const quantityText = value.slice(index + 1);
  if (!/^\d+$/.test(quantityText) || Number(quantityText) < 1) {
    throw new InvalidArgumentError(
      `quantity must be a whole number ≥ 1, got "${quantityText}" in "${value}"`,
    );
  }
  return { sku, quantity: Number(quantityText) };
}

/** Commander collector of a repeatable `--item`. */
export function collectItem(value: string, previous: ItemArg[] = []): ItemArg[] {
  return [...previous, parseItem(value)];
}

/** Commander collector of a repeatable option's raw values. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** A positive whole number option (`--limit`, `--timeout`). */
export function positiveInt(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new InvalidArgumentError(`expected a whole number ≥ 1, got "${value}"`);
  return Number(value);
}

/** A whole number option that may be 0 (`--lines`). */
export function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`expected a whole number ≥ 0, got "${value}"`);
  return Number(value);
}

/** A workflow id from what a person types: a workflow id (`order-…`) or a bare order id. */
export function workflowIdOf(id: string): string {
  return orderIdFromWorkflowId(id) !== undefined ? id : workflowIdFor(id);
}

/** An order id from a workflow id (`order-…`) or a bare order id. */
export function orderIdOf(id: string): string {
  return orderIdFromWorkflowId(id) ?? id;
}

export const MODE_CHOICES: readonly string[] = TX_MODES;
export const STATUS_CHOICES: readonly string[] = TX_STATUSES;
