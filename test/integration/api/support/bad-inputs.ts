/** Every bad-input case of the API with the field paths it must name (shared by the unit and end-to-end tests). */

export interface BadInput {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  /** Paths the 400 answer must name (empty: a 400 without field paths, e.g. malformed JSON). */
  fields: string[];
}

const item = { sku: 'SKU-1', quantity: 1 };
const order = (patch: Record<string, unknown>) => ({
  customerId: 'cust-1',
  items: [item],
  mode: 'saga',
  ...patch,
});

export const BAD_INPUTS: BadInput[] = [
  {
    name: 'fractional quantity',
    method: 'POST',
    path: '/v1/orders',
    body: order({ items: [{ sku: 'A', quantity: 1.5 }] }),
    fields: ['items/0/quantity'],
  },
  {
    name: 'zero quantity',
    method: 'POST',
    path: '/v1/orders',
    body: order({ items: [{ sku: 'A', quantity: 0 }] }),
    fields: ['items/0/quantity'],
  },
  {
    name: 'negative quantity',
    method: 'POST',
    path: '/v1/orders',
    body: order({ items: [item, { sku: 'B', quantity: -2 }] }),
    fields: ['items/1/quantity'],
  },
  {
    name: 'quantity as a string',
    method: 'POST',
    path: '/v1/orders',
    body: order({ items: [{ sku: 'A', quantity: '2' }] }),
    fields: ['items/0/quantity'],
  },
  {
    name: 'huge quantity',
    method: 'POST',
    path: '/v1/orders',
    body: order({ items: [{ sku: 'A', quantity: 10_000_000 }] }),
    fields: ['items/0/quantity'],
  },
  {
    name: 'missing quantity',
    method: 'POST',
    path: '/v1/orders',
    body: order({ items: [{ sku: 'A' }] }),
    fields: ['items/0/quantity'],
  },
  {
    name: 'empty SKU',
    method: 'POST',
    path: '/v1/orders',
    body: order({ items: [{ sku: '', quantity: 1 }] }),
    fields: ['items/0/sku'],
  },
  {
    name: 'SKU too long',
    method: 'POST',
    path: '/v1/orders',
    body: order({ items: [{ sku: 'S'.repeat(65), quantity: 1 }] }),
    fields: ['items/0/sku'],
  },
  {
    name: 'SKU with a quote',
    method: 'POST',
    path: '/v1/orders',
    body: order({ items: [{ sku: "A' OR 1=1", quantity: 1 }] }),
    fields: ['items/0/sku'],
  },
  { name: 'no items', method: 'POST', path: '/v1/orders', body: order({ items: [] }), fields: ['items'] },
  {
    name: '101 items',
    method: 'POST',
    path: '/v1/orders',
    body: order({ items: Array.from({ length: 101 }, (_, i) => ({ sku: `S-${i}`, quantity: 1 })) }),
    fields: ['items'],
  },
  {
    name: 'duplicate SKU',
    method: 'POST',
    path: '/v1/orders',
    body: order({ items: [item, { sku: 'SKU-2', quantity: 1 }, { ...item, quantity: 3 }] }),
    fields: ['items/2/sku'],
  },
  {
    name: 'missing customerId',
    method: 'POST',
    path: '/v1/orders',
    body: { items: [item] },
    fields: ['customerId'],
  },
  {
    name: 'empty customerId',
    method: 'POST',
    path: '/v1/orders',
    body: order({ customerId: '' }),
    fields: ['customerId'],
  },
  { name: 'unknown mode', method: 'POST', path: '/v1/orders', body: order({ mode: 'xa' }), fields: ['mode'] },
  {
    name: 'empty coupon',
    method: 'POST',
    path: '/v1/orders',
    body: order({ couponCode: '' }),
    fields: ['couponCode'],
  },
  {
    name: 'a price from the client',
    method: 'POST',
    path: '/v1/orders',
    body: order({ items: [{ ...item, unitPrice: 1 }] }),
    fields: ['items/0/unitPrice'],
  },
  {
    name: 'an unknown field',
    method: 'POST',
    path: '/v1/orders',
    body: order({ total: 1 }),
    fields: ['total'],
  },
  {
    name: 'several bad fields at once',
    method: 'POST',
    path: '/v1/orders',
    body: { customerId: '', items: [{ sku: 'A', quantity: 0.5 }], mode: 'x' },
    fields: ['customerId', 'items/0/quantity', 'mode'],
  },
  { name: 'an array body', method: 'POST', path: '/v1/orders', body: [item], fields: [''] },
  { name: 'no body', method: 'POST', path: '/v1/orders', rawBody: '', fields: [''] },
  { name: 'malformed JSON', method: 'POST', path: '/v1/orders', rawBody: '{"customerId": ', fields: [] },
  {
    name: 'Idempotency-Key too long',
    method: 'POST',
    path: '/v1/orders',
    body: order({}),
    headers: { 'idempotency-key': 'k'.repeat(129) },
    fields: ['idempotency-key'],
  },
  {
    name: 'wait not a boolean',
    method: 'POST',
    path: '/v1/orders?wait=maybe',
    body: order({}),
    fields: ['wait'],
  },
  { name: 'unknown status filter', method: 'GET', path: '/v1/transactions?status=DONE', fields: ['status'] },
  { name: 'unknown mode filter', method: 'GET', path: '/v1/transactions?mode=2pc', fields: ['mode'] },
  { name: 'page size 0', method: 'GET', path: '/v1/transactions?pageSize=0', fields: ['pageSize'] },
  { name: 'page size 101', method: 'GET', path: '/v1/transactions?pageSize=101', fields: ['pageSize'] },
  {
    name: 'page token not base64url',
    method: 'GET',
    path: '/v1/transactions?pageToken=a%2Bb%2F',
    fields: ['pageToken'],
  },
  { name: 'unknown query parameter', method: 'GET', path: '/v1/transactions?sort=asc', fields: ['sort'] },
  { name: 'order id with a space', method: 'GET', path: '/v1/orders/a%20b', fields: ['orderId'] },
  {
    name: 'workflow id with a quote (cancel)',
    method: 'POST',
    path: "/v1/transactions/order-x'y/cancel",
    fields: ['workflowId'],
  },
  {
    name: 'workflow id with a space (retry)',
    method: 'POST',
    path: '/v1/transactions/order%20x/retry',
    fields: ['workflowId'],
  },
  {
    name: 'dead letter id with a dot',
    method: 'POST',
    path: '/v1/outbox/dead-letters/a.b/redrive',
    fields: ['id'],
  },
];
