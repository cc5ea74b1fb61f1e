/**
 * The relay's part of a transaction's trace: each message it sends gets a PRODUCER span that is a CHILD of the trace
 * context stored in its outbox row (the transaction that wrote it), and the message's `traceparent` header names that
 * span, so the consumer's span continues the same trace (docs/observability.md, "child, not link").
 *
 * A child because one row is one message: the send is caused by exactly one committed transaction, and a person reading
 * the order's trace sees the API call, the workflow, the service calls and their SQL, the send and the projector in one
 * tree. A link fits fan-in (one operation for many traces); here it would put the send and everything downstream of
 * it into a separate trace per relay batch.
 *
 * Made here rather than by the kafkajs instrumentation (off in the relay): it gives all messages of one sendBatch the
 * same parent (the active context) and would overwrite the header with it.
 */
import { propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { TopicMessages } from 'kafkajs';
import { tracingActive } from '../../common/telemetry';

/** Ends the spans of one send: ok, or failed with the reason. */
export type EndSendSpans = (error?: string) => void;

/**
 * Starts a PRODUCER span per message that carries a trace context (its row's headers) and rewrites the message's
 * trace headers to name it; undefined when tracing is off (the messages keep their headers as they are).
 */
export function startSendSpans(batch: TopicMessages[]): EndSendSpans | undefined {
  if (!tracingActive()) return undefined;
  const tracer = trace.getTracer('dtx-relay');
  const spans: Span[] = [];
  for (const { topic, messages } of batch) {
    for (const message of messages) {
      const headers = (message.headers ??= {});
      const parent = propagation.extract(ROOT_CONTEXT, headers);
      // a row written without tracing has no trace to continue
      if (trace.getSpanContext(parent) === undefined) continue;
      const span = tracer.startSpan(
        `send ${topic}`,
        {
          kind: SpanKind.PRODUCER,
          attributes: {
            'messaging.system': 'kafka',
            'messaging.operation.type': 'send',
            'messaging.operation.name': 'send',
            'messaging.destination.name': topic,
            'messaging.kafka.message.key': message.key?.toString(),
            'messaging.message.id': headers['event-id']?.toString(),
          },
        },
        parent,
      );
      propagation.inject(trace.setSpan(parent, span), headers);
      spans.push(span);
    }
  }
  return (error) => {
    for (const span of spans) {
      if (error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: error });
      span.end();
    }
  };
}
