/**
 * The API's Prometheus metrics and its `GET /metrics` (prom-client's default registry, like every part's ops server):
 *   dtx_api_requests_total{method,route,status}         every answered request; route = the matched route pattern
 *                                                       (`/orders/:orderId`), `unmatched` for 404/405 and the like
 *   dtx_api_request_duration_seconds{method,route}      from arrival to the answer written
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Counter, Histogram, register } from 'prom-client';
import { collectProcessMetrics, metricsText } from '../../common/ops-server';

export const apiRequests = new Counter({
  name: 'dtx_api_requests_total',
  help: 'HTTP requests the API answered, by method, route pattern and status code',
  labelNames: ['method', 'route', 'status'] as const,
});

export const apiRequestDuration = new Histogram({
  name: 'dtx_api_request_duration_seconds',
  help: 'Time the API took to answer a request, by method and route pattern',
  labelNames: ['method', 'route'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
});

/** The route pattern of a request (bounded label values: never the raw URL). */
function routeOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? 'unmatched';
}

/** Counts every answer (hooks) and serves `GET /metrics`; register before the routes. */
export function registerMetrics(app: FastifyInstance): void {
  collectProcessMetrics();
  app.addHook('onResponse', (request, reply, done) => {
    const route = routeOf(request);
    apiRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    apiRequestDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    done();
  });
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['health'],
        summary:
          'Prometheus metrics of the API process (text exposition format; needs the API key when one is set)',
      },
    },
    async (_request, reply) => {
      const text = await metricsText();
      return reply.header('content-type', register.contentType).send(text);
    },
  );
}
