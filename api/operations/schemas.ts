/**
 * Every request and response shape of the API, declared once with TypeBox: Fastify validates with them, TypeScript
 * types come from `Static<>`, the CLI validates its input with them, and /docs publishes them as OpenAPI.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { MAX_LINES, MAX_QUANTITY } from '../../services/rpc/limits';
import { TX_MODES, TX_STATUSES } from '../../workflows/names';
import { ERROR_CODES } from './errors';

const literalUnion = <T extends string>(values: readonly T[], description: string) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    { description },
  );

/** Ids the API accepts (customers, SKUs, coupon codes): safe in workflow ids and visibility queries. */
const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._:@-]*$';
const identifier = (description: string) =>
  Type.String({
    minLength: 1,
    maxLength: 64,
    pattern: ID_PATTERN,
    description: `${description}: 1-64 characters, letters, digits and . _ : @ - (not first)`,
  });

export const TxModeSchema = literalUnion(TX_MODES, 'saga (compensating actions) or tcc (try-confirm-cancel)');
export const TxStatusSchema = literalUnion(TX_STATUSES, 'transaction status (search attribute TxStatus)');

export const OrderItemSchema = Type.Object(
  {
    sku: identifier('product SKU'),
    quantity: Type.Integer({
      minimum: 1,
      maximum: MAX_QUANTITY,
      description: `a whole number, 1-${MAX_QUANTITY}`,
    }),
  },
  { additionalProperties: false },
);

export const PlaceOrderBodySchema = Type.Object(
  {
    customerId: identifier('customer id'),
    items: Type.Array(OrderItemSchema, {
      minItems: 1,
      maxItems: MAX_LINES,
      description: `1-${MAX_LINES} lines, each SKU at most once; prices come from the catalogue`,
    }),
    couponCode: Type.Optional(identifier('coupon code')),
    mode: Type.Optional(
      Type.Union([Type.Literal('saga'), Type.Literal('tcc')], { description: 'default saga' }),
    ),
    payment: Type.Optional(
      Type.Union([Type.Literal('sync'), Type.Literal('async')], {
        description:
          'default sync (charged in the step). async (saga only): the payment is authorized and the order waits for ' +
          "the provider's result (status WAITING_FOR_PAYMENT); a decline or no result in time compensates",
      }),
    ),
    paymentTimeoutMs: Type.Optional(
      Type.Integer({
        minimum: 100,
        maximum: 86_400_000,
        description:
          "async payment: how long to wait for the provider's result (default DTX_PAYMENT_TIMEOUT_MS)",
      }),
    ),
  },
  { additionalProperties: false },
);
export type PlaceOrderBody = Static<typeof PlaceOrderBodySchema>;

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const PlaceOrderHeadersSchema = Type.Object({
  [IDEMPOTENCY_KEY_HEADER]: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 128,
      pattern: '^[\\x21-\\x7E]+$',
      description:
        'Idempotency-Key (printable ASCII, 1-128): the same key and body for the same customer return the same ' +
        'transaction without starting a second one; the same key with a different body is answered 409.',
    }),
  ),
});

export const WaitQuerySchema = Type.Object(
  {
    wait: Type.Optional(
      Type.Union([Type.Literal('true'), Type.Literal('false'), Type.Literal('decided')], {
        description:
          'true: wait (at most 30 s) for the outcome; 200 with it, or 202 if still running. decided: wait (at most ' +
          '30 s) until the outcome is decided; 202 COMMITTING when a TCC order passed every try (confirms run on), ' +
          '200 with the decision once it failed (COMPENSATING) or ended',
      }),
    ),
  },
  { additionalProperties: false },
);

export const OrderIdParamsSchema = Type.Object({ orderId: identifier('order id') });
export const WorkflowIdParamsSchema = Type.Object({
  workflowId: Type.String({ minLength: 1, maxLength: 128, pattern: ID_PATTERN, description: 'workflow id' }),
});
export const DeadLetterParamsSchema = Type.Object({
  id: Type.String({
    minLength: 1,
    maxLength: 64,
    pattern: '^[A-Za-z0-9-]+$',
    description: 'outbox event id',
  }),
});

export const ListTransactionsQuerySchema = Type.Object(
  {
    status: Type.Optional(TxStatusSchema),
    mode: Type.Optional(TxModeSchema),
    customerId: Type.Optional(identifier('customer id')),
    pageSize: Type.Optional(
      Type.String({
        pattern: '^([1-9]|[1-9][0-9]|100)$',
        description: 'transactions per page, 1-100 (default 20)',
      }),
    ),
    pageToken: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 4096,
        pattern: '^[A-Za-z0-9_-]+$',
        description: 'nextPageToken of the previous page (opaque)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ListTransactionsQuery = Static<typeof ListTransactionsQuerySchema>;

// ---- responses ----

export const LinksSchema = Type.Object({
  status: Type.String({ description: 'this order in the API' }),
  temporalUi: Type.String({ description: "the workflow's page in the Temporal UI" }),
});

export const OutcomeSchema = Type.Object(
  {
    status: Type.String({ description: 'COMPLETED or COMPENSATED' }),
    reason: Type.Optional(Type.String()),
    failedStep: Type.Optional(Type.String()),
  },
  { additionalProperties: true, description: "the workflow's result" },
);

export const DecisionSchema = Type.Object(
  {
    status: Type.String({
      description:
        'COMMITTING (every try succeeded; confirms run on), COMPENSATING (the undo began), or the final status',
    }),
    failedStep: Type.Optional(Type.String()),
    reason: Type.Optional(Type.String()),
    decidedAt: Type.String({ description: 'workflow time of the decision, ISO 8601' }),
  },
  { description: 'with wait=decided: the decision the answer was given at' },
);

export const PlaceOrderResponseSchema = Type.Object({
  orderId: Type.String(),
  workflowId: Type.String(),
  runId: Type.String(),
  mode: TxModeSchema,
  replayed: Type.Boolean({ description: 'true: an earlier request with this Idempotency-Key started it' }),
  status: Type.String({ description: 'TxStatus, or the outcome when waited for' }),
  outcome: Type.Optional(OutcomeSchema),
  decision: Type.Optional(DecisionSchema),
  links: LinksSchema,
});
export type PlaceOrderResponse = Static<typeof PlaceOrderResponseSchema>;

export const StepErrorSchema = Type.Object({
  op: Type.String(),
  attempt: Type.Integer(),
  type: Type.String({
    description: 'business reason, InvalidArgument, a gRPC code name, Timeout or CANCELLED',
  }),
  message: Type.String(),
  nonRetryable: Type.Boolean(),
  at: Type.String(),
});

export const StepSchema = Type.Object(
  {
    name: Type.String(),
    summary: Type.Optional(Type.String()),
    state: Type.String({ description: 'pending, running, done, failed, compensating, compensated, skipped' }),
    op: Type.Optional(Type.String({ description: 'the barrier op running or run last' })),
    attempts: Type.Optional(Type.Record(Type.String(), Type.Integer(), { description: 'attempts per op' })),
    lastError: Type.Optional(StepErrorSchema),
  },
  { description: 'one step of the transaction' },
);

export const TxStateSchema = Type.Object(
  {
    status: Type.String(),
    mode: Type.Optional(Type.String()),
    orderId: Type.Optional(Type.String()),
    steps: Type.Optional(Type.Array(StepSchema)),
    failedStep: Type.Optional(Type.String()),
    reason: Type.Optional(Type.String()),
    quote: Type.Optional(
      Type.Object(
        {
          lines: Type.Array(
            Type.Object({
              sku: Type.String(),
              name: Type.String(),
              quantity: Type.Integer(),
              unitPrice: Type.Integer(),
              lineTotal: Type.Integer(),
            }),
          ),
          subtotal: Type.Integer(),
          discount: Type.Integer(),
          total: Type.Integer(),
        },
        { description: 'the priced order (minor units), from the quote step' },
      ),
    ),
    tryTimeoutMs: Type.Optional(Type.Integer()),
    payment: Type.Optional(
      Type.Object(
        {
          mode: Type.String(),
          state: Type.String({
            description: 'AUTHORIZING, WAITING_FOR_PAYMENT, SUCCEEDED, DECLINED or TIMED_OUT',
          }),
          timeoutMs: Type.Integer(),
          waitingSince: Type.Optional(Type.String()),
          settledAt: Type.Optional(Type.String()),
          reason: Type.Optional(Type.String()),
        },
        { description: "an async payment: where the provider's result stands" },
      ),
    ),
  },
  {
    description:
      "the workflow's txState query; without a worker only status and mode (from the result or the search attributes)",
  },
);

export const OrderLineSchema = Type.Object({
  sku: Type.String(),
  quantity: Type.Integer(),
  unitPrice: Type.Integer({ description: 'minor units' }),
  lineTotal: Type.Integer({ description: 'minor units' }),
});

export const OrderRecordSchema = Type.Object(
  {
    orderId: Type.String(),
    customerId: Type.String(),
    status: Type.String({ description: 'PENDING, CONFIRMED or CANCELLED' }),
    lines: Type.Array(OrderLineSchema),
    subtotal: Type.Integer({ description: 'minor units' }),
    discount: Type.Integer({ description: 'minor units' }),
    total: Type.Integer({ description: 'minor units: subtotal - discount' }),
    couponCode: Type.Optional(Type.String()),
    txMode: Type.String(),
    txId: Type.String(),
    cancelReason: Type.Optional(Type.String()),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { description: "the order service's record (GetOrder)" },
);

export const TimelineEventSchema = Type.Object(
  {
    position: Type.Integer({ description: '1-based position in the timeline' }),
    eventId: Type.String(),
    eventType: Type.String(),
    aggregateType: Type.String(),
    aggregateId: Type.String(),
    txId: Type.Union([Type.String(), Type.Null()]),
    occurredAt: Type.String({ description: 'when the outbox row was written' }),
    recordedAt: Type.String({ description: 'when the projector recorded it' }),
    payload: Type.Unknown(),
  },
  { description: 'one event of the order, as projected from Kafka' },
);

export const OrderViewSchema = Type.Object({
  orderId: Type.String(),
  workflowId: Type.String(),
  runId: Type.Optional(Type.String()),
  executionStatus: Type.Optional(
    Type.String({
      description: 'Temporal execution status: RUNNING, COMPLETED, FAILED, CANCELLED, TERMINATED, TIMED_OUT',
    }),
  ),
  txState: Type.Union([TxStateSchema, Type.Null()]),
  txStateSource: Type.String({
    description:
      'query (live from the worker), result (the closed workflow), visibility (search attributes only)',
  }),
  outcome: Type.Optional(OutcomeSchema),
  order: Type.Union([OrderRecordSchema, Type.Null()]),
  timeline: Type.Array(TimelineEventSchema),
  unavailable: Type.Optional(
    Type.Array(Type.String(), {
      description: 'parts that did not answer (order service, timeline): shown empty',
    }),
  ),
  links: LinksSchema,
});
export type OrderView = Static<typeof OrderViewSchema>;

export const TransactionSummarySchema = Type.Object({
  workflowId: Type.String(),
  runId: Type.String(),
  orderId: Type.Optional(Type.String()),
  workflowType: Type.String(),
  mode: Type.Optional(Type.String()),
  txStatus: Type.Optional(Type.String()),
  customerId: Type.Optional(Type.String()),
  executionStatus: Type.String(),
  startTime: Type.String(),
  closeTime: Type.Optional(Type.String()),
  links: LinksSchema,
});
export type TransactionSummary = Static<typeof TransactionSummarySchema>;

export const TransactionListSchema = Type.Object({
  transactions: Type.Array(TransactionSummarySchema),
  nextPageToken: Type.Optional(
    Type.String({ description: 'pass as pageToken for the next page; absent on the last' }),
  ),
});
export type TransactionList = Static<typeof TransactionListSchema>;

export const CancelResponseSchema = Type.Object({
  workflowId: Type.String(),
  runId: Type.String(),
  status: Type.Literal('CANCEL_REQUESTED'),
  links: LinksSchema,
});
export type CancelResponse = Static<typeof CancelResponseSchema>;

export const RetryResponseSchema = Type.Object({
  workflowId: Type.String(),
  previousRunId: Type.String(),
  previousExecutionStatus: Type.String(),
  runId: Type.String({ description: 'the new run, reset from the previous one' }),
  resetToEventId: Type.Integer({
    description: 'the WorkflowTaskCompleted event the new run continues after',
  }),
  links: LinksSchema,
});
export type RetryResponse = Static<typeof RetryResponseSchema>;

export const HorizonHolderSchema = Type.Object(
  {
    xid: Type.String({ description: 'its transaction id' }),
    pid: Type.Optional(Type.Integer({ description: 'backend pid (absent for a prepared transaction)' })),
    preparedGid: Type.Optional(Type.String({ description: 'gid of a prepared transaction' })),
    database: Type.Union([Type.String(), Type.Null()]),
    user: Type.Union([Type.String(), Type.Null()]),
    application: Type.Union([Type.String(), Type.Null()]),
    state: Type.Union([Type.String(), Type.Null()], { description: 'e.g. "idle in transaction"' }),
    ageMs: Type.Integer({ description: 'how long the transaction has been open' }),
    query: Type.Union([Type.String(), Type.Null()], {
      description: 'its current or last statement (truncated)',
    }),
  },
  {
    description:
      'the oldest open transaction of the cluster: committed rows wait for it (transaction ids are cluster-wide)',
  },
);

export const OutboxLagSchema = Type.Object({
  database: Type.String({ description: "the service's database, e.g. dtx_order" }),
  pendingCount: Type.Integer({ description: 'rows not yet relayed to Kafka' }),
  deadCount: Type.Integer({ description: 'rows given up on (dead letters)' }),
  blockedCount: Type.Integer({ description: 'pending rows waiting behind a dead row of their aggregate' }),
  oldestPendingAgeMs: Type.Integer({ description: 'age of the oldest pending row; 0 when none' }),
  sentPerSecond: Type.Number({ description: 'rows relayed per second over the last minute' }),
  waitingOn: Type.Optional(HorizonHolderSchema),
  error: Type.Optional(Type.String({ description: 'set when the database could not be read' })),
});
export const OutboxStatusSchema = Type.Object({ outboxes: Type.Array(OutboxLagSchema) });
export type OutboxStatus = Static<typeof OutboxStatusSchema>;

export const DeadLetterSchema = Type.Object({
  id: Type.String({ description: 'the event id (redrive with it)' }),
  database: Type.String(),
  seq: Type.String(),
  aggregateType: Type.String(),
  aggregateId: Type.String(),
  eventType: Type.String(),
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  blockedCount: Type.Integer({ description: 'pending rows of the same aggregate waiting behind it' }),
});
export const DeadLetterListSchema = Type.Object({
  deadLetters: Type.Array(DeadLetterSchema),
  nextCursor: Type.Optional(Type.String({ description: 'set when more follow: pass it as `after`' })),
});

export const DeadLetterQuerySchema = Type.Object(
  {
    limit: Type.Optional(
      Type.String({
        pattern: '^([1-9][0-9]{0,2}|1000)$',
        description: 'dead letters per page, 1-1000 (default 100)',
      }),
    ),
    after: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 512,
        pattern: '^[A-Za-z0-9_-]+$',
        description: 'nextCursor of the previous page (opaque)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type DeadLetterQuery = Static<typeof DeadLetterQuerySchema>;
export type DeadLetterList = Static<typeof DeadLetterListSchema>;

export const RedriveResponseSchema = Type.Object({
  redriven: Type.Array(
    Type.Object({
      id: Type.String(),
      database: Type.String(),
      released: Type.Integer({ description: 'rows that were waiting behind it' }),
    }),
  ),
});
export type RedriveResponse = Static<typeof RedriveResponseSchema>;

export const HealthSchema = Type.Object({ status: Type.Literal('ok') });

export const ReadinessCheckSchema = Type.Object({
  name: Type.String({ description: 'temporal, kafka, or db:<name>' }),
  ok: Type.Boolean(),
  error: Type.Optional(Type.String()),
  latencyMs: Type.Integer(),
});
export const ReadinessSchema = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('unavailable')]),
  checks: Type.Array(ReadinessCheckSchema),
});
export type Readiness = Static<typeof ReadinessSchema>;

export const ErrorResponseSchema = Type.Object(
  {
    error: Type.Object({
      code: literalUnion(ERROR_CODES, 'error class; the HTTP status follows from it'),
      message: Type.String(),
      reason: Type.Optional(Type.String({ description: 'machine-readable why (409s)' })),
      fields: Type.Optional(
        Type.Array(
          Type.Object({
            path: Type.String({ description: 'e.g. items/0/quantity' }),
            message: Type.String(),
          }),
        ),
      ),
    }),
  },
  { description: 'every error answer has this shape' },
);

/** /readyz when not ready: the readiness report, and the one error shape every non-2xx answer has. */
export const NotReadySchema = Type.Composite([ReadinessSchema, ErrorResponseSchema], {
  description: 'not ready: which checks fail, in the error shape',
});

/** The error answers a route may give, for its OpenAPI entry. */
export function errorResponses(...statuses: number[]): Record<number, TSchema> {
  return Object.fromEntries(statuses.map((status) => [status, ErrorResponseSchema]));
}
