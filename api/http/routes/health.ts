/** GET /healthz (the process is alive) and GET /readyz (every dependency answers). */
import type { FastifyInstance } from 'fastify';
import type { ApiDependencies } from '../../operations/deps';
import { readiness } from '../../operations';
import { DtxError, errorBody } from '../../operations/errors';
import { errorResponses, HealthSchema, NotReadySchema, ReadinessSchema } from '../../operations/schemas';

export function registerHealthRoutes(app: FastifyInstance, deps: ApiDependencies): void {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness: the API process answers (no API key needed)',
        response: { 200: HealthSchema },
      },
    },
    (_request, reply) => reply.send({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: Temporal, every database and Kafka answer',
        description: '200 when all answer; 503 listing each check, with the error of those that do not.',
        response: { 200: ReadinessSchema, 503: NotReadySchema, ...errorResponses(401) },
      },
    },
    async (request, reply) => {
      const result = await readiness(deps, undefined, (probe, error) =>
        request.log.warn({ err: error, probe }, `readiness check ${probe} failed`),
      );
      if (result.status === 'ready') return reply.code(200).send(result);
      const failing = result.checks.filter((check) => !check.ok).map((check) => check.name);
      const error = new DtxError('UNAVAILABLE', `not ready: ${failing.join(', ')} (see checks)`);
      return reply.code(503).send({ ...errorBody(error), ...result });
    },
  );
}
