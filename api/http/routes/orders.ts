/** POST /v1/orders and GET /v1/orders/:orderId. */
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ApiDependencies } from '../../operations/deps';
import { DEFAULT_WAIT_MS, getOrderView, placeAdmittedOrder } from '../../operations';
import {
  errorResponses,
  IDEMPOTENCY_KEY_HEADER,
  OrderIdParamsSchema,
  OrderViewSchema,
  PlaceOrderBodySchema,
  PlaceOrderHeadersSchema,
  PlaceOrderResponseSchema,
  WaitQuerySchema,
} from '../../operations/schemas';

export function registerOrderRoutes(app: FastifyInstance, deps: ApiDependencies): void {
  app.post<{
    Body: Static<typeof PlaceOrderBodySchema>;
    Headers: Static<typeof PlaceOrderHeadersSchema>;
    Querystring: Static<typeof WaitQuerySchema>;
  }>(
    '/v1/orders',
    {
      schema: {
        tags: ['orders'],
        summary: 'Place an order as a distributed transaction',
        description:
          'Starts the order workflow (Saga or TCC) and answers 202 at once with its ids and links. With an ' +
          'Idempotency-Key the order id is derived from (customerId, key): repeating the same request returns the same ' +
          'transaction (header Idempotent-Replayed: true, no second workflow); the same key with another body → 409 ' +
          'IDEMPOTENCY_KEY_REUSED. `?wait=true` waits up to 30 s for the outcome: 200 with it, or 202 if still running. ' +
          '`?wait=decided` answers once the outcome is decided (docs/using.md): 202 COMMITTING when a TCC order passed ' +
          'every try (the confirms run on), 200 when the undo began (COMPENSATING, with the reason) or the order ended ' +
          '(a saga decides at its pivot, its last step), 202 if nothing was decided within 30 s. ' +
          'Items: 1-100, quantities whole numbers ≥ 1, each SKU once; prices come from the catalogue.',
        headers: PlaceOrderHeadersSchema,
        querystring: WaitQuerySchema,
        body: PlaceOrderBodySchema,
        response: {
          200: PlaceOrderResponseSchema,
          202: PlaceOrderResponseSchema,
          ...errorResponses(400, 401, 409, 413, 415, 429, 503),
        },
      },
    },
    async (request, reply) => {
      const wait = request.query.wait === 'true' || request.query.wait === 'decided';
      const result = await placeAdmittedOrder(deps, {
        body: request.body,
        idempotencyKey: request.headers[IDEMPOTENCY_KEY_HEADER],
        waitMs: wait ? DEFAULT_WAIT_MS : 0,
        waitFor: request.query.wait === 'decided' ? 'decided' : 'outcome',
      });
      if (result.replayed) void reply.header('idempotent-replayed', 'true');
      void reply.header('location', result.links.status);
      // 200: an answer that will not change (an outcome, or an undo under way); 202: accepted, still going on
      const settled = result.outcome !== undefined || result.decision?.status === 'COMPENSATING';
      return reply.code(wait && settled ? 200 : 202).send(result);
    },
  );

  app.get<{ Params: Static<typeof OrderIdParamsSchema> }>(
    '/v1/orders/:orderId',
    {
      schema: {
        tags: ['orders'],
        summary: "An order's transaction state, record and event timeline",
        description:
          "txState comes from the workflow (query); when no worker answers, from the closed workflow's result or the " +
          'search attributes (txStateSource says which). The order record comes from the order service, the timeline ' +
          'from the projector; a part that does not answer is listed in `unavailable`.',
        params: OrderIdParamsSchema,
        response: { 200: OrderViewSchema, ...errorResponses(400, 401, 404, 503) },
      },
    },
    async (request) => getOrderView(deps, request.params.orderId),
  );
}
