/**
 * The HTTP API, built from injected dependencies (tests build it on port 0 with their own): TypeBox schemas for
 * validation and the OpenAPI document at /docs, one error shape, optional API key, 64 KiB body limit.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Logger } from '../../common/logger';
import type { ApiDependencies } from '../operations/deps';
import { DtxError, errorBody, HTTP_STATUS, type ErrorCode } from '../operations/errors';
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

/** Fastify's own errors (body too large, bad JSON, wrong media type) in dtx's error codes. */
function codeOfFastifyError(error: FastifyError): ErrorCode {
  switch (error.statusCode) {
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 401:
      return 'UNAUTHORIZED';
    case 404:
      return 'NOT_FOUND';
    default:
      return error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500
        ? 'BAD_REQUEST'
        : 'INTERNAL';
  }
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const fastifyOptions: FastifyServerOptions = {
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    // ids in paths are pattern-checked; keep URLs short and exact
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  };
  const app = Fastify(
    options.logger ? { ...fastifyOptions, loggerInstance: options.logger } : fastifyOptions,
  );

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
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send(errorBody(new DtxError('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`))),
  );

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

  registerOrderRoutes(app, options.deps);
  registerTransactionRoutes(app, options.deps);
  registerOutboxRoutes(app, options.deps);
  registerHealthRoutes(app, options.deps);
  return app;
}
