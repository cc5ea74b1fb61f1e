/**
 * The payment bridge (issue 14): Kafka → Temporal. Reads the payment service's PaymentSucceeded / PaymentFailed
 * (topic of aggregate "payment") through the idempotent inbox and signals `paymentResult` to the waiting transaction
 * (workflow id = the event's txId).
 *
 * - Duplicates: the inbox drops a redelivered event; a signal sent twice anyway (a crash between signal and commit)
 *   is ignored by the workflow, which keeps the first result.
 * - A transaction that is unknown or already finished: logged and dropped (metric), the event is done.
 * - A malformed event (not JSON, no txId/branchId): dead-lettered with its reason (consumer_dead_letters), never retried.
 * - Temporal unreachable: the handler fails, its inbox transaction rolls back, kafkajs retries the message; the
 *   offset is not committed, so the result waits in Kafka.
 */
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import type { Kafka } from 'kafkajs';
import type { Knex } from 'knex';
import { Counter, register } from 'prom-client';
import { loadConfig, type Config } from '../../common/config';
import { createDb } from '../../common/db';
import { createKafka } from '../../common/kafka';
import { createLogger, type Logger } from '../../common/logger';
import { migrateDatabase } from '../../common/migrate';
import { temporalConnectionOptions } from '../../common/temporal';
import { IdempotentConsumer, purgeInbox } from '../../outbox/inbox/consumer';
import { deadLetterEvent } from '../../outbox/inbox/dead-letters';
import type { InboxEvent } from '../../outbox/inbox/event';
import { consumerGroupId, ensureTopics, topicFor } from '../../outbox/topics';
import { paymentResultSignal, type PaymentResultSignal } from '../../workflows/contract';

/** The bridge's name in the inbox table (kept in dtx_timeline, the consumers' database). */
export const PAYMENT_BRIDGE_CONSUMER = 'payment-bridge';
export const PAYMENT_BRIDGE_GROUP_ID = 'dtx-payment-bridge';
/** The payment service's provider events (services/payment/handlers.ts PROVIDER_EVENTS). */
const RESULT_OF: Record<string, PaymentResultSignal['result']> = {
  PaymentSucceeded: 'SUCCEEDED',
  PaymentFailed: 'DECLINED',
};
const INBOX_PURGE_EVERY_MS = 60 * 60_000;

function counter(name: string, help: string, labelNames: string[]): Counter {
  // one registration per process even if this module is loaded twice (tests)
  return (register.getSingleMetric(name) as Counter | undefined) ?? new Counter({ name, help, labelNames });
}
const signalled = counter(
  'dtx_payment_bridge_signals_total',
  'Payment results the bridge signalled to their transaction, by result',
  ['result'],
);
const dropped = counter(
  'dtx_payment_bridge_signals_dropped_total',
  'Payment results the bridge dropped because their transaction is unknown or already finished',
  ['result'],
);
const deadLettered = counter(
  'dtx_payment_bridge_dead_letters_total',
  'Payment events the bridge dead-lettered as malformed',
  ['event_type'],
);

/** The signal an event carries, or why it is malformed. */
export function signalOf(
  event: InboxEvent,
): { txId: string; signal: PaymentResultSignal } | { problem: string } {
  const result = RESULT_OF[event.eventType];
  if (!result) return { problem: `event type "${event.eventType}" is not a payment result` };
  const payload = event.payload;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
    return { problem: 'payload is not a JSON object' };
  const { txId, branchId, reason } = payload as Record<string, unknown>;
  if (typeof txId !== 'string' || txId === '') return { problem: 'payload.txId is missing' };
  if (typeof branchId !== 'string' || branchId === '') return { problem: 'payload.branchId is missing' };
  return {
    txId,
    signal: {
      result,
      branchId,
      eventId: event.eventId,
      ...(typeof reason === 'string' && reason !== '' ? { reason } : {}),
    },
  };
}

export interface PaymentBridgeOptions {
  config?: Config;
  kafka?: Kafka;
  /** Default: PAYMENT_BRIDGE_GROUP_ID under the Kafka prefix. */
  groupId?: string;
  /** Where a group without committed offsets starts (default true: no result published before is lost). */
  fromBeginning?: boolean;
  /** Default: config.databases.timeline. */
  databaseUrl?: string;
  migrate?: boolean;
  onFatal?: (error: Error) => void;
  logger?: Logger;
}

export class PaymentBridge {
  private readonly purgeTimer: NodeJS.Timeout;

  private constructor(
    private readonly consumer: IdempotentConsumer,
    readonly db: Knex,
    private readonly connection: Connection,
    retentionDays: number,
    logger: Logger,
  ) {
    this.purgeTimer = setInterval(() => {
      purgeInbox(db, PAYMENT_BRIDGE_CONSUMER, retentionDays).catch((error: unknown) =>
        logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'inbox cleanup failed'),
      );
    }, INBOX_PURGE_EVERY_MS);
    this.purgeTimer.unref();
  }

  static async start(options: PaymentBridgeOptions = {}): Promise<PaymentBridge> {
    const config = options.config ?? loadConfig();
    const logger = options.logger ?? createLogger('payment-bridge');
    const db = createDb('timeline', {
      url: options.databaseUrl,
      poolMax: 4,
      applicationName: 'dtx-payment-bridge',
    });
    let connection: Connection | undefined;
    try {
      if (options.migrate !== false) await migrateDatabase(db, 'timeline');
      connection = await Connection.connect(temporalConnectionOptions(config));
      const client = new Client({ connection, namespace: config.temporal.namespace });
      const kafka = options.kafka ?? createKafka({ clientSuffix: 'payment-bridge', config });
      await ensureTopics(kafka, { config });
      const groupId = options.groupId ?? consumerGroupId(PAYMENT_BRIDGE_GROUP_ID, config.kafka.namePrefix);
      const topic = topicFor('payment', config.kafka.namePrefix);

      const handler = async (trx: Knex.Transaction, event: InboxEvent): Promise<undefined> => {
        const parsed = signalOf(event);
        const fields = { eventId: event.eventId, eventType: event.eventType, offset: event.offset };
        if ('problem' in parsed) {
          await deadLetterEvent(trx, PAYMENT_BRIDGE_CONSUMER, event, parsed.problem);
          deadLettered.inc({ event_type: event.eventType });
          logger.error({ ...fields, reason: parsed.problem }, 'malformed payment event dead-lettered');
          return undefined;
        }
        const { txId, signal } = parsed;
        try {
          await client.workflow.getHandle(txId).signal(paymentResultSignal, signal);
          signalled.inc({ result: signal.result });
          logger.info({ ...fields, txId, result: signal.result }, 'payment result signalled');
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) throw error; // Temporal down: retried, offset kept
          dropped.inc({ result: signal.result });
          logger.warn(
            { ...fields, txId, result: signal.result },
            'payment result for an unknown or finished transaction dropped',
          );
        }
        return undefined;
      };

      const consumer = await IdempotentConsumer.start({
        kafka,
        db,
        consumer: PAYMENT_BRIDGE_CONSUMER,
        groupId,
        topics: [topic],
        fromBeginning: options.fromBeginning ?? true,
        handler,
        // the payment topic's other events (charges, refunds, pending authorizations) pass by without an inbox row
        handles: (eventType) => eventType in RESULT_OF,
        logger,
        onFatal: options.onFatal,
      });
      logger.info({ groupId, topic }, 'payment bridge started');
      return new PaymentBridge(consumer, db, connection, config.relay.inboxRetentionDays, logger);
    } catch (error) {
      await connection?.close();
      await db.destroy();
      throw error;
    }
  }

  /** Resolves once the consumer has fetched (its start positions are fixed). */
  get ready(): Promise<void> {
    return this.consumer.ready;
  }

  /** Events applied / skipped as duplicates since start (every payment event counts, results or not). */
  get counts(): { applied: number; duplicates: number; stale: number } {
    return this.consumer.counts;
  }

  async stop(): Promise<void> {
    clearInterval(this.purgeTimer);
    await this.consumer.stop();
    await this.connection.close();
    await this.db.destroy();
  }
}
