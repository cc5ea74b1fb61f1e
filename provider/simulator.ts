/**
 * The payment provider simulator (issue 14): stands in for an external provider that settles a charge later.
 *
 * It learns of pending payments the way the shop's own side announces them: the payment service's PaymentPending
 * event on Kafka (its outbox, so an authorization is never lost). After a delay it reports SUCCEEDED or DECLINED,
 * by `decide`, to the payment service's ReportResult — the webhook — retrying while the service is unreachable.
 * It keeps nothing durable: a report pending when it stops is lost with it, which a real provider may do too; the
 * waiting transaction then times out and cancels. ReportResult is idempotent, so a redelivered event reports again
 * harmlessly.
 */
import * as grpc from '@grpc/grpc-js';
import type { Consumer, Kafka } from 'kafkajs';
import { loadConfig, type Config } from '../common/config';
import { createKafka } from '../common/kafka';
import { createLogger, type Logger } from '../common/logger';
import { decodeEvent } from '../outbox/inbox/event';
import { consumerGroupId, ensureTopics, topicFor } from '../outbox/topics';
import { call, createServiceClients, type ServiceClients } from '../services/rpc/clients';

/** The pending payment as PaymentPending describes it. */
export interface PendingPayment {
  txId: string;
  branchId: string;
  orderId: string;
  customerId: string;
  amount: number;
}

/** What the provider does with a pending payment: its result and after how long (no report: 'silent'). */
export type ProviderDecision =
  { result: 'SUCCEEDED' | 'DECLINED'; delayMs: number; reason?: string } | { result: 'silent' };

export type DecideRule = (payment: PendingPayment) => ProviderDecision;

/** The prefix of customer ids the default rule always declines. */
export const DECLINED_CUSTOMER_PREFIX = 'decline-';

/** The default rule: decline above DTX_PROVIDER_DECLINE_ABOVE (0: never) or for `decline-…` customers. */
export function defaultRule(config: Config = loadConfig()): DecideRule {
  const { providerDelayMs: delayMs, providerDeclineAbove: limit } = config.asyncPayment;
  return (payment) => {
    if (payment.customerId.startsWith(DECLINED_CUSTOMER_PREFIX))
      return { result: 'DECLINED', delayMs, reason: 'card declined (customer flag)' };
    if (limit > 0 && payment.amount > limit)
      return { result: 'DECLINED', delayMs, reason: `amount ${payment.amount} above limit ${limit}` };
    return { result: 'SUCCEEDED', delayMs };
  };
}

export const PROVIDER_GROUP_ID = 'dtx-payment-provider';
const PENDING_EVENT = 'PaymentPending';
const REPORT_DEADLINE_MS = 5_000;
const REPORT_ATTEMPTS = 20;

export interface ProviderSimulatorOptions {
  config?: Config;
  kafka?: Kafka;
  clients?: ServiceClients;
  /** Default: PROVIDER_GROUP_ID under the Kafka prefix. */
  groupId?: string;
  /** Default false: a new group starts at the end (pending payments of an earlier life are not settled). */
  fromBeginning?: boolean;
  decide?: DecideRule;
  logger?: Logger;
}

/** Reads a PaymentPending payload; undefined when it is not one the simulator can settle. */
function pendingOf(payload: unknown): PendingPayment | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const p = payload as Record<string, unknown>;
  const { txId, branchId, orderId, customerId, amount } = p;
  if (typeof txId !== 'string' || typeof branchId !== 'string' || typeof amount !== 'number')
    return undefined;
  return {
    txId,
    branchId,
    orderId: typeof orderId === 'string' ? orderId : '',
    customerId: typeof customerId === 'string' ? customerId : '',
    amount,
  };
}

export class ProviderSimulator {
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;
  private reported = 0;

  private constructor(
    private readonly consumer: Consumer,
    private readonly clients: ServiceClients,
    private readonly ownClients: boolean,
    private readonly logger: Logger,
  ) {}

  static async start(options: ProviderSimulatorOptions = {}): Promise<ProviderSimulator> {
    const config = options.config ?? loadConfig();
    const logger = options.logger ?? createLogger('payment-provider');
    const kafka = options.kafka ?? createKafka({ clientSuffix: 'payment-provider', config });
    await ensureTopics(kafka, { config });
    const clients = options.clients ?? createServiceClients(config.serviceAddresses, config.grpc);
    const decide = options.decide ?? defaultRule(config);
    const groupId = options.groupId ?? consumerGroupId(PROVIDER_GROUP_ID, config.kafka.namePrefix);
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
    const simulator = new ProviderSimulator(consumer, clients, options.clients === undefined, logger);
    await consumer.connect();
    const topic = topicFor('payment', config.kafka.namePrefix);
    await consumer.subscribe({ topics: [topic], fromBeginning: options.fromBeginning ?? false });
    await consumer.run({
      eachMessage: async ({ topic: from, partition, message }) => {
        const event = decodeEvent(from, partition, message);
        if (event.eventType !== PENDING_EVENT) return;
        const payment = pendingOf(event.payload);
        if (!payment) {
          logger.warn({ eventId: event.eventId }, 'PaymentPending without a payment to settle; ignored');
          return;
        }
        simulator.schedule(payment, decide(payment));
        return Promise.resolve();
      },
    });
    logger.info({ groupId, topic }, 'payment provider simulator started');
    return simulator;
  }

  /** Reports sent (accepted by the payment service) since start. */
  get reports(): number {
    return this.reported;
  }

  private schedule(payment: PendingPayment, decision: ProviderDecision): void {
    const id = `${payment.txId}/${payment.branchId}`;
    if (decision.result === 'silent') {
      this.logger.info({ payment: id }, 'provider stays silent about this payment');
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.report(payment, decision.result, decision.reason ?? '');
    }, decision.delayMs);
    this.timers.add(timer);
  }

  /** Calls the webhook until it answers (transient failures retried with backoff). */
  private async report(
    payment: PendingPayment,
    result: 'SUCCEEDED' | 'DECLINED',
    reason: string,
  ): Promise<void> {
    const id = `${payment.txId}/${payment.branchId}`;
    const request = { branch: { txId: payment.txId, branchId: payment.branchId }, result, reason };
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        const answer = await call(this.clients.payment, 'reportResult', request, {
          deadlineMs: REPORT_DEADLINE_MS,
          txId: payment.txId,
        });
        this.reported += 1;
        this.logger.info(
          { payment: id, result, outcome: answer.outcome, state: answer.state },
          'payment reported',
        );
        return;
      } catch (error) {
        const code = (error as grpc.ServiceError).code;
        const transient = code === grpc.status.UNAVAILABLE || code === grpc.status.DEADLINE_EXCEEDED;
        const fields = { payment: id, result, attempt, err: (error as Error).message };
        if (!transient || attempt >= REPORT_ATTEMPTS) {
          this.logger.error(fields, 'payment report refused or given up');
          return;
        }
        this.logger.warn(fields, 'payment report failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, Math.min(200 * 2 ** (attempt - 1), 10_000)));
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.consumer.disconnect();
    if (this.ownClients) this.clients.close();
  }
}
