/* eslint-disable @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument -- answers are parsed JSON, asserted field by field */
/**
 * The HTTP layer with fake dependencies (no servers): validation answers, the one error shape, body limit, media
 * type, auth, and the OpenAPI document. The same bad inputs run end to end in test/integration/api.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../api/http/server';
import { ErrorResponseSchema } from '../../../api/operations/schemas';
import { fieldErrors } from '../../../api/operations/validation';
import { BAD_INPUTS } from '../../integration/api/support/bad-inputs';
import { unreachableDeps } from './support/unreachable-deps.fake';

let app: FastifyInstance;
let secured: FastifyInstance;
beforeAll(async () => {
  app = await buildApp({ deps: unreachableDeps() });
  secured = await buildApp({ deps: unreachableDeps(), apiKey: 's3cret' });
});
afterAll(async () => {
  await app.close();
  await secured.close();
});

describe.each(BAD_INPUTS)('bad input: $name', (input) => {
  test(`400 naming ${input.fields.join(', ') || 'no field'}`, async () => {
    const hasBody = input.body !== undefined || input.rawBody !== undefined;
    const response = await app.inject({
      method: input.method,
      url: input.path,
      headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...input.headers },
      payload: input.rawBody ?? (input.body !== undefined ? JSON.stringify(input.body) : undefined),
    });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(fieldErrors(ErrorResponseSchema, body)).toEqual([]);
    expect(body.error.code).toBe('BAD_REQUEST');
    expect((body.error.fields ?? []).map((f: { path: string }) => f.path).sort()).toEqual(
      [...input.fields].sort(),
    );
  });
});

test('a body over 64 KiB is 413 in the error shape', async () => {
  const items = Array.from({ length: 100 }, (_, i) => ({ sku: `S-${i}-${'x'.repeat(60)}`, quantity: 1 }));
  const payload = JSON.stringify({ customerId: 'c', items, padding: 'p'.repeat(64 * 1024) });
  const response = await app.inject({
    method: 'POST',
    url: '/v1/orders',
    headers: { 'content-type': 'application/json' },
    payload,
  });
  expect(response.statusCode).toBe(413);
  expect(response.json().error.code).toBe('PAYLOAD_TOO_LARGE');
});

test('a body that is not JSON is 415', async () => {
  const response = await app.inject({
    method: 'POST',
    url: '/v1/orders',
    headers: { 'content-type': 'text/plain' },
    payload: 'hello',
  });
  expect(response.statusCode).toBe(415);
  expect(response.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
});

test('an unknown route is 404 in the error shape', async () => {
  const response = await app.inject({ method: 'GET', url: '/v2/orders' });
  expect(response.statusCode).toBe(404);
  expect(response.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'no route GET /v2/orders' } });
});

describe('API key', () => {
  test.each([
    ['no key', {}],
    ['a wrong x-api-key', { 'x-api-key': 'nope' }],
    ['a wrong bearer token', { authorization: 'Bearer nope' }],
    ['a key of another scheme', { authorization: 'Basic s3cret' }],
  ])('%s → 401', async (_name, headers) => {
    const response = await secured.inject({ method: 'GET', url: '/readyz', headers });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('UNAUTHORIZED');
  });
  test.each([
    ['x-api-key', { 'x-api-key': 's3cret' }],
    ['Authorization: Bearer', { authorization: 'Bearer s3cret' }],
  ])('the right key in %s passes', async (_name, headers) => {
    const response = await secured.inject({ method: 'GET', url: '/readyz', headers });
    expect(response.statusCode).toBe(200);
  });
  test('auth comes before validation: a bad request without the key is 401', async () => {
    const response = await secured.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: { 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(response.statusCode).toBe(401);
  });
  test('/healthz needs no key', async () => {
    const response = await secured.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });
});

test('the OpenAPI document describes every route with the schemas the validator uses', async () => {
  const response = await app.inject({ method: 'GET', url: '/docs/json' });
  expect(response.statusCode).toBe(200);
  const spec = response.json();
  expect(Object.keys(spec.paths).sort()).toEqual(
    [
      '/healthz',
      '/metrics',
      '/readyz',
      '/v1/orders',
      '/v1/orders/{orderId}',
      '/v1/outbox',
      '/v1/outbox/dead-letters',
      '/v1/outbox/dead-letters/redrive-all',
      '/v1/outbox/dead-letters/{id}/redrive',
      '/v1/transactions',
      '/v1/transactions/{workflowId}/cancel',
      '/v1/transactions/{workflowId}/retry',
    ].sort(),
  );
  const post = spec.paths['/v1/orders'].post;
  const quantity =
    post.requestBody.content['application/json'].schema.properties.items.items.properties.quantity;
  expect(quantity).toMatchObject({ type: 'integer', minimum: 1 });
  expect(post.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(
    expect.arrayContaining(['header:idempotency-key', 'query:wait']),
  );
  expect(spec.paths['/v1/transactions/{workflowId}/retry'].post.description).toMatch(
    /COMPENSATED_PLACE_NEW_ORDER/,
  );
  const ui = await app.inject({ method: 'GET', url: '/docs/' });
  expect(ui.statusCode).toBe(200);
  expect(ui.body).toMatch(/swagger/i);
});
