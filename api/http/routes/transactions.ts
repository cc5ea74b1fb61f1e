/** GET /v1/transactions, POST /v1/transactions/:workflowId/cancel and /retry. */
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ApiDependencies } from '../../operations/deps';
import { cancelTransaction, listTransactions, RETRY_DESCRIPTION, retryTransaction } from '../../operations';
import {
  CancelResponseSchema,
  errorResponses,
  ListTransactionsQuerySchema,
  RetryResponseSchema,
  TransactionListSchema,
  WorkflowIdParamsSchema,
} from '../../operations/schemas';

export function registerTransactionRoutes(app: FastifyInstance, deps: ApiDependencies): void {
  app.get<{ Querystring: Static<typeof ListTransactionsQuerySchema> }>(
    '/v1/transactions',
    {
      schema: {
        tags: ['transactions'],
        summary: 'List transactions from Temporal visibility',
        description:
          'Filters by the search attributes TxStatus, TxMode and CustomerId; newest first, paginated with nextPageToken.',
        querystring: ListTransactionsQuerySchema,
        response: { 200: TransactionListSchema, ...errorResponses(400, 401, 503) },
      },
    },
    async (request) => {
      const { status, mode, customerId, pageSize, pageToken } = request.query;
      return listTransactions(deps, {
        status,
        mode,
        customerId,
        pageToken,
        ...(pageSize !== undefined ? { pageSize: Number(pageSize) } : {}),
      });
    },
  );

  app.post<{ Params: Static<typeof WorkflowIdParamsSchema> }>(
    '/v1/transactions/:workflowId/cancel',
    {
      schema: {
        tags: ['transactions'],
        summary: 'Cancel a running transaction',
        description:
          'Requests cancellation: in the forward phase the workflow compensates (Saga) or cancels (TCC) what it did; ' +
          'it never abandons reservations. 409 NOT_RUNNING when it has already ended.',
        params: WorkflowIdParamsSchema,
        response: { 202: CancelResponseSchema, ...errorResponses(400, 401, 404, 409, 503) },
      },
    },
    async (request, reply) => reply.code(202).send(await cancelTransaction(deps, request.params.workflowId)),
  );

  app.post<{ Params: Static<typeof WorkflowIdParamsSchema> }>(
    '/v1/transactions/:workflowId/retry',
    {
      schema: {
        tags: ['transactions'],
        summary: 'Retry a failed, timed-out or terminated transaction',
        description: RETRY_DESCRIPTION,
        params: WorkflowIdParamsSchema,
        response: { 202: RetryResponseSchema, ...errorResponses(400, 401, 404, 409, 503) },
      },
    },
    async (request, reply) => reply.code(202).send(await retryTransaction(deps, request.params.workflowId)),
  );
}
