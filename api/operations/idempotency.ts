/**
 * Stateless idempotency for POST /v1/orders: the order id is derived from (customerId, Idempotency-Key), so a repeat
 * maps to the same workflow id; the request's canonical hash, kept in the workflow memo, tells a repeat from a reuse.
 */
import { createHash, randomUUID } from 'node:crypto';

/** Namespace of dtx order ids (a fixed random UUID; changing it would change every derived order id). */
const ORDER_ID_NAMESPACE = '6f0d8a52-3c1e-4c52-9d1f-2b7f4a9e8c31';

/** What identifies an order request's content: two requests with the same fields are the same order. */
export interface OrderRequestContent {
  customerId: string;
  items: ReadonlyArray<{ sku: string; quantity: number }>;
  couponCode?: string;
  mode: string;
  /** Async payment (absent = sync, so the hashes of sync requests stay as they were). */
  payment?: string;
  paymentTimeoutMs?: number;
}

/** An RFC 4122 version-5 (SHA-1, name-based) UUID of `name` in `namespace`. */
export function uuidV5(name: string, namespace: string): string {
  const namespaceBytes = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (namespaceBytes.length !== 16) throw new Error(`namespace must be a UUID, got "${namespace}"`);
  const hash = createHash('sha1').update(namespaceBytes).update(name, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The order id of a request: derived from (customerId, key) when an Idempotency-Key is given — keys are scoped
 * per customer — otherwise a fresh random id.
 */
export function orderIdFor(customerId: string, idempotencyKey: string | undefined): string {
  if (idempotencyKey === undefined) return randomUUID();
  // A separator that cannot occur in either part keeps ("a", "b:c") and ("a:b", "c") apart.
  return uuidV5(`${customerId}\u0000${idempotencyKey}`, ORDER_ID_NAMESPACE);
}

/** The canonical JSON of an order request: fixed key order, items sorted by SKU, no optional field when absent. */
export function canonicalOrderRequest(request: OrderRequestContent): string {
  const items = [...request.items]
    .map((item) => ({ sku: item.sku, quantity: item.quantity }))
    .sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
  // Keys in alphabetical order, built explicitly (a replacer key list would also filter the nested item keys).
  const canonical: Record<string, unknown> = {};
  if (request.couponCode !== undefined) canonical.couponCode = request.couponCode;
  canonical.customerId = request.customerId;
  canonical.items = items;
  canonical.mode = request.mode;
  if (request.payment !== undefined && request.payment !== 'sync') canonical.payment = request.payment;
  if (request.paymentTimeoutMs !== undefined) canonical.paymentTimeoutMs = request.paymentTimeoutMs;
  return JSON.stringify(canonical);
}

/** sha256 (hex) of the canonical request: stored in the memo, compared on a repeat. */
export function orderRequestHash(request: OrderRequestContent): string {
  return createHash('sha256').update(canonicalOrderRequest(request)).digest('hex');
}
