/** GET /v1/outbox, GET /v1/outbox/dead-letters, POST /v1/outbox/dead-letters/:id/redrive (and redrive-all). */
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ApiDependencies } from '../../operations/deps';
import { listDeadLetters, outboxStatus, redriveAllDeadLetters, redriveDeadLetter } from '../../operations';
import { isUnreachable } from '../../operations/errors';
import {
  DeadLetterListSchema,
  DeadLetterParamsSchema,
  DeadLetterQuerySchema,
  errorResponses,
  OutboxStatusSchema,
  RedriveResponseSchema,
} from '../../operations/schemas';

export function registerOutboxRoutes(app: FastifyInstance, deps: ApiDependencies): void {
  app.get(
    '/v1/outbox',
    {
      schema: {
        tags: ['outbox'],
        summary: 'Outbox lag per service',
        description:
          'Rows not yet relayed to Kafka, dead rows, and the age of the oldest pending row, per service database.',
        response: { 200: OutboxStatusSchema, ...errorResponses(401, 503) },
      },
    },
    async (request) => {
      const status = await outboxStatus(deps);
      // a database that could not be read: the answer says so, the driver's text (with its address) goes to the log
      const outboxes = status.outboxes.map((lag) => {
        if (lag.error === undefined) return lag;
        request.log.warn(
          { database: lag.database, error: lag.error },
          'outbox lag: database could not be read',
        );
        const error = isUnreachable({ message: lag.error })
          ? 'not answering; is the local stack up (`npm run stack -- status`)?'
          : 'could not be read (details in the API log)';
        return { ...lag, error };
      });
      return { ...status, outboxes };
    },
  );

  app.get<{ Querystring: Static<typeof DeadLetterQuerySchema> }>(
    '/v1/outbox/dead-letters',
    {
      schema: {
        tags: ['outbox'],
        summary: 'Dead outbox rows',
        description:
          'Rows the relay gave up on after its retries, with their last error; later rows of the same aggregate wait behind them. Paged: `limit` (default 100), then `after` = the previous `nextCursor`.',
        querystring: DeadLetterQuerySchema,
        response: { 200: DeadLetterListSchema, ...errorResponses(400, 401, 503) },
      },
    },
    async (request) =>
      listDeadLetters(deps, {
        ...(request.query.limit !== undefined ? { limit: Number(request.query.limit) } : {}),
        ...(request.query.after !== undefined ? { after: request.query.after } : {}),
      }),
  );

  app.post<{ Params: Static<typeof DeadLetterParamsSchema> }>(
    '/v1/outbox/dead-letters/:id/redrive',
    {
      schema: {
        tags: ['outbox'],
        summary: 'Redrive one dead row',
        description:
          'Makes the row pending again (attempts reset); the rows of its aggregate queued behind it follow it.',
        params: DeadLetterParamsSchema,
        response: { 202: RedriveResponseSchema, ...errorResponses(400, 401, 404, 503) },
      },
    },
    async (request, reply) => reply.code(202).send(await redriveDeadLetter(deps, request.params.id)),
  );

  app.post(
    '/v1/outbox/dead-letters/redrive-all',
    {
      schema: {
        tags: ['outbox'],
        summary: 'Redrive every dead row',
        response: { 202: RedriveResponseSchema, ...errorResponses(401, 503) },
      },
    },
    async (_request, reply) => reply.code(202).send(await redriveAllDeadLetters(deps)),
  );
}
