/**
 * Every non-2xx answer of the HTTP API has the one error shape `{ error: { code, message, ... } }` with the status
 * that follows from the code, including the answers Fastify and Node write themselves: router errors, unknown
 * routes and methods, body errors, malformed HTTP, over-large headers, requests while the server closes. Real HTTP
 * over a socket to the server on an ephemeral port (fake dependencies: none of these may reach them).
 */
import * as net from 'node:net';
import { HTTP_STATUS, type ErrorCode } from '../../../api/operations/errors';
import { ErrorResponseSchema } from '../../../api/operations/schemas';
import { fieldErrors } from '../../../api/operations/validation';
import { startApi, type RunningApi } from '../../integration/api/support/http';
import { unreachableDeps as fakeDeps } from './support/unreachable-deps.fake';

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  // parsed JSON of each answer's body
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Parses every HTTP/1.1 answer in `text` (Content-Length framed). */
function parseAnswers(text: string): RawAnswer[] {
  const answers: RawAnswer[] = [];
  let rest = text;
  while (rest.startsWith('HTTP/1.1 ')) {
    const headEnd = rest.indexOf('\r\n\r\n');
    const [statusLine, ...headerLines] = rest.slice(0, headEnd).split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of headerLines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers['content-length']);
    const bodyBytes = Buffer.from(rest.slice(headEnd + 4)).subarray(0, length);
    const bodyText = bodyBytes.toString('utf8');
    answers.push({ status: Number(statusLine.split(' ')[1]), headers, body: JSON.parse(bodyText) });
    rest = Buffer.from(rest.slice(headEnd + 4))
      .subarray(length)
      .toString('utf8');
  }
  return answers;
}

/** Writes `request` as it is to the server and reads until the server closes the connection. */
function rawExchange(
  url: string,
  request: string | string[],
  between?: () => Promise<void>,
): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect({ host: hostname, port: Number(port) }, () => {
      const parts = Array.isArray(request) ? request : [request];
      socket.write(parts[0]);
      if (parts.length > 1) void between?.().then(() => parts.slice(1).forEach((part) => socket.write(part)));
    });
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

async function raw(url: string, request: string): Promise<RawAnswer> {
  const answers = parseAnswers(await rawExchange(url, request));
  expect(answers).toHaveLength(1);
  return answers[0];
}

/** The answer has the one error shape, the given code, and the status that code stands for. */
function expectErrorShape(answer: { status: number; body: unknown }, code: ErrorCode): void {
  expect(fieldErrors(ErrorResponseSchema, answer.body)).toEqual([]);
  expect((answer.body as { error: { code: string } }).error.code).toBe(code);
  expect(answer.status).toBe(HTTP_STATUS[code]);
}

let api: RunningApi;
beforeAll(async () => {
  api = await startApi({ deps: fakeDeps() });
});
afterAll(async () => {
  await api.close();
});

const longId = 'a'.repeat(300);

test.each([
  ['GET', '/v1/orders/:orderId', `/v1/orders/${longId}`],
  ['POST', '/v1/transactions/:workflowId/cancel', `/v1/transactions/${longId}/cancel`],
])('a path parameter over 200 characters (%s %s) is 414 URI_TOO_LONG', async (method, _route, path) => {
  const answer = await api.request(method, path);
  expectErrorShape(answer, 'URI_TOO_LONG');
  expect(answer.body.error.message).toBe('a path parameter is longer than 200 characters');
});

test('bad percent-encoding in the path is 400 BAD_REQUEST', async () => {
  const answer = await api.request('GET', '/v1/orders/%zz');
  expectErrorShape(answer, 'BAD_REQUEST');
});

test('an unknown route is 404 NOT_FOUND', async () => {
  expectErrorShape(await api.request('GET', '/v2/orders'), 'NOT_FOUND');
});

test.each([
  ['DELETE', '/v1/orders', 'POST'],
  ['PUT', '/healthz', 'GET, HEAD'],
  ['GET', '/v1/transactions/order-1/cancel', 'POST'],
])(
  '%s on %s (a route of other methods) is 405 METHOD_NOT_ALLOWED with Allow',
  async (method, path, allow) => {
    const answer = await api.request(method, path);
    expectErrorShape(answer, 'METHOD_NOT_ALLOWED');
    expect(answer.headers.get('allow')).toBe(allow);
  },
);

test('malformed JSON is 400, an over-large body 413, a body of another media type 415', async () => {
  expectErrorShape(await api.request('POST', '/v1/orders', { rawBody: '{"customerId": ' }), 'BAD_REQUEST');
  expectErrorShape(
    await api.request('POST', '/v1/orders', { rawBody: JSON.stringify({ pad: 'x'.repeat(70_000) }) }),
    'PAYLOAD_TOO_LARGE',
  );
  expectErrorShape(
    await api.request('POST', '/v1/orders', {
      rawBody: '<order/>',
      headers: { 'content-type': 'application/xml' },
    }),
    'UNSUPPORTED_MEDIA_TYPE',
  );
});

test('headers larger than Node accepts are 431 HEADERS_TOO_LARGE (answered on the socket)', async () => {
  const answer = await raw(
    api.url,
    `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\nConnection: close\r\n\r\n`,
  );
  expectErrorShape(answer, 'HEADERS_TOO_LARGE');
});

test('malformed HTTP (Content-Length and Transfer-Encoding both) is 400 BAD_REQUEST (answered on the socket)', async () => {
  const answer = await raw(
    api.url,
    'POST /v1/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n' +
      'Transfer-Encoding: chunked\r\n\r\n{}',
  );
  expectErrorShape(answer, 'BAD_REQUEST');
  expect(answer.body.error.message).toBe('malformed HTTP request');
});

test('/readyz not ready is 503 in the error shape too, with the checks and without the driver text', async () => {
  const down = await startApi({
    deps: fakeDeps(() => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5433'))),
  });
  try {
    const answer = await down.request('GET', '/readyz');
    expectErrorShape(answer, 'UNAVAILABLE');
    expect(answer.body).toMatchObject({
      error: { message: 'not ready: fake (see checks)' },
      status: 'unavailable',
      checks: [{ name: 'fake', ok: false, error: 'the check failed (details in the API log)' }],
    });
    expect(JSON.stringify(answer.body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
  } finally {
    await down.close();
  }
});

test('a request that arrives on a kept-alive connection while the server closes is 503 UNAVAILABLE', async () => {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const slow = await startApi({ deps: fakeDeps(() => gate) });
  let closed: Promise<void> | undefined;
  const text = await rawExchange(
    slow.url,
    ['GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n', 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'],
    async () => {
      // the first request is in flight (held by the probe); close the server, then let it finish
      await new Promise((resolve) => setTimeout(resolve, 200));
      closed = slow.close();
      await new Promise((resolve) => setTimeout(resolve, 200));
      release();
    },
  );
  await closed;
  const answers = parseAnswers(text);
  expect(answers.map((answer) => answer.status)).toEqual([200, 503]);
  expectErrorShape(answers[1], 'UNAVAILABLE');
  expect(answers[1].body.error.message).toBe('the API is shutting down; retry in a moment');
});
