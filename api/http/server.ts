/**
 * The HTTP API, built from injected dependencies (tests build it on port 0 with their own): TypeBox schemas for
 * validation and the OpenAPI document at /docs, one error shape, optional API key, 64 KiB body limit.
 *
 * One error shape means every non-2xx answer, including those Fastify and Node would otherwise write in their own
 * shape: router errors (bad percent-encoding, an over-long path parameter), unknown routes and methods, bodies,
 * malformed HTTP and over-large headers (answered on the socket), and requests that arrive while the server closes.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyServerOptions,
} from 'fastify';
import { loadConfig, type AdmissionConfig } from '../../common/config';
import type { Logger } from '../../common/logger';
import type { ApiDependencies } from '../operations/deps';
import { DtxError, errorBody, HTTP_STATUS, type ErrorCode } from '../operations/errors';
import { registerMetrics } from './metrics';
import { registerRateLimits } from './rate-limit';
import { registerHealthRoutes } from './routes/health';
import { registerOrderRoutes } from './routes/orders';
import { registerOutboxRoutes } from './routes/outbox';
import { registerTransactionRoutes } from './routes/transactions';
import { fastifyValidatorCompiler } from '../operations/validation';

export const DEFAULT_BODY_LIMIT = 64 * 1024;
/** Paths answered without the API key (liveness must work for any supervisor). */
const PUBLIC_PATHS = new Set(['/healthz']);

export interface AppOptions {
  deps: ApiDependencies;
  /** When set, every request but /healthz must carry it (`x-api-key` or `Authorization: Bearer`). */
  apiKey?: string;
  bodyLimit?: number;
  /** A pino logger; default: no request logs. */
  logger?: Logger;
  /** Per-client rate limits (rate-limit.ts); default: from the environment (DTX_API_RATE_*). */
  admission?: AdmissionConfig;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** The key a request presents, from `x-api-key` or `Authorization: Bearer <key>`. */
function presentedKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const apiKey = headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey !== '') return apiKey;
  const authorization = headers.authorization;
  const match = typeof authorization === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
  return match ? match[1] : undefined;
}

const CODE_BY_STATUS = new Map<number, ErrorCode>(
  Object.entries(HTTP_STATUS).map(([code, status]) => [status, code as ErrorCode]),
);

/**
 * Fastify's own errors (body too large, bad JSON, wrong media type, ...) in dtx's error codes: the status keeps its
 * code where dtx has one; any other 4xx is a plain BAD_REQUEST and anything else INTERNAL (the status follows the code).
 */
function codeOfFastifyError(error: FastifyError): ErrorCode {
  const status = error.statusCode;
  if (status === undefined) return 'INTERNAL';
  return CODE_BY_STATUS.get(status) ?? (status >= 400 && status < 500 ? 'BAD_REQUEST' : 'INTERNAL');
}

/** Longest path parameter the router accepts (ids are far shorter; a longer one is 414). */
const MAX_PARAM_LENGTH = 200;

/** Errors the router raises before any route or hook runs (Fastify's `frameworkErrors`). */
function frameworkError(error: FastifyError): DtxError {
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      return new DtxError('BAD_REQUEST', 'the path is not a valid URL (bad percent-encoding)');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new DtxError('URI_TOO_LONG', `a path parameter is longer than ${MAX_PARAM_LENGTH} characters`);
    default:
      return new DtxError('INTERNAL', 'internal error');
  }
}

/**
 * Malformed HTTP, headers over Node's limit and request timeouts never reach Fastify's router: Node hands the socket
 * to this handler, which writes the answer itself (Fastify's default writes its own shape).
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return; // nobody left to answer
  const dtxError =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? new DtxError('REQUEST_TIMEOUT', 'the request did not arrive in time')
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? new DtxError('HEADERS_TOO_LARGE', 'the request headers are larger than the server accepts')
        : new DtxError('BAD_REQUEST', 'malformed HTTP request');
  const status = HTTP_STATUS[dtxError.code];
  const body = JSON.stringify(errorBody(dtxError));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/** A route's URL pattern as a regular expression over request paths (`:param` one segment, `*` the rest). */
function routePattern(url: string): RegExp {
  const source = url
    .split(/(:[A-Za-z0-9_]+|\*)/)
    .map((part) => {
      if (part === '*') return '.*';
      if (part.startsWith(':')) return '[^/]+';
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('')
    .replace(/\/$/, '');
  return new RegExp(`^${source}/?$`);
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const fastifyOptions: FastifyServerOptions = {
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    // ids in paths are pattern-checked; keep URLs short and exact
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: (error, _request, reply) => {
      const dtxError = frameworkError(error);
      // the option's reply type is generic over route schemas this answer has none of
      void (reply as FastifyReply).code(HTTP_STATUS[dtxError.code]).send(errorBody(dtxError));
    },
    clientErrorHandler: answerClientError,
    // Fastify's 503 while closing is its own shape; the onRequest hook below answers it in ours
    return503OnClosing: false,
  };
  const app = Fastify(
    options.logger ? { ...fastifyOptions, loggerInstance: options.logger } : fastifyOptions,
  );

  // every route's pattern and methods, so that a known path with another method is 405 rather than 404
  const routes: { pattern: RegExp; methods: string[] }[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    routes.push({ pattern: routePattern(route.url), methods: methods.map(String) });
  });

  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  // first hook: a request on a kept-alive connection while the server drains is told to go elsewhere
  app.addHook('onRequest', (_request, reply, done) => {
    if (!closing) return done();
    void reply
      .code(503)
      .header('connection', 'close')
      .send(errorBody(new DtxError('UNAVAILABLE', 'the API is shutting down; retry in a moment')));
  });

  app.setValidatorCompiler(fastifyValidatorCompiler);
  // response schemas document the answers; they must never drop a field silently
  app.setSerializerCompiler(() => (data: unknown) => JSON.stringify(data));

  // a JSON API: any other media type is 415
  app.removeContentTypeParser('text/plain');
  // empty JSON bodies are fine for the POSTs that take none (cancel, retry, redrive)
  const defaultJsonParser = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    void defaultJsonParser(request, text, done);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof DtxError) {
      if (error.code === 'INTERNAL' || error.code === 'UNAVAILABLE')
        request.log.error({ err: error }, error.message);
      if (error.retryAfterSeconds !== undefined)
        void reply.header('retry-after', String(error.retryAfterSeconds));
      return reply.code(HTTP_STATUS[error.code]).send(errorBody(error));
    }
    const code = codeOfFastifyError(error);
    if (code === 'INTERNAL') {
      request.log.error({ err: error }, 'request failed');
      return reply.code(500).send(errorBody(new DtxError('INTERNAL', 'internal error')));
    }
    const message =
      error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? `body larger than ${app.initialConfig.bodyLimit} bytes`
        : error.message;
    return reply.code(HTTP_STATUS[code]).send(errorBody(new DtxError(code, message)));
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    const allowed = new Set(
      routes.filter((route) => route.pattern.test(path)).flatMap((route) => route.methods),
    );
    if (allowed.size > 0 && !allowed.has(request.method)) {
      const allow = [...allowed].sort().join(', ');
      return reply
        .code(405)
        .header('allow', allow)
        .send(
          errorBody(
            new DtxError(
              'METHOD_NOT_ALLOWED',
              `${request.method} is not allowed on ${path} (allowed: ${allow})`,
            ),
          ),
        );
    }
    return reply.code(404).send(errorBody(new DtxError('NOT_FOUND', `no route ${request.method} ${path}`)));
  });

  if (options.apiKey !== undefined) {
    const expected = digest(options.apiKey);
    app.addHook('onRequest', (request, _reply, done) => {
      if (PUBLIC_PATHS.has(request.url.split('?')[0])) return done();
      const key = presentedKey(request.headers);
      // compare digests in constant time: the length and content of the key do not leak through timing
      if (key === undefined || !timingSafeEqual(digest(key), expected)) {
        return done(
          new DtxError(
            'UNAUTHORIZED',
            'missing or wrong API key (x-api-key header or Authorization: Bearer)',
          ),
        );
      }
      done();
    });
  }

  // after the API key check (a hook of the app runs before those of a route): an unknown caller spends no budget
  await registerRateLimits(app, options.admission ?? loadConfig().api.admission);

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'dtx API',
        version: '0.1.0',
        description:
          'Place orders as distributed transactions (Saga or TCC over Temporal), inspect them, cancel or retry them, ' +
          'and watch the outbox. Every error answer has the shape `{ "error": { "code", "message", "reason"?, ' +
          '"fields"?: [{ "path", "message" }] } }`.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      ...(options.apiKey !== undefined ? { security: [{ apiKey: [] }, { bearer: [] }] } : {}),
      tags: [
        { name: 'orders', description: 'place and read orders' },
        { name: 'transactions', description: 'list, cancel and retry transactions' },
        { name: 'outbox', description: 'outbox lag and dead letters' },
        { name: 'health', description: 'liveness and readiness' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  registerMetrics(app);
  registerOrderRoutes(app, options.deps);
  registerTransactionRoutes(app, options.deps);
  registerOutboxRoutes(app, options.deps);
  registerHealthRoutes(app, options.deps);
  return app;
}
