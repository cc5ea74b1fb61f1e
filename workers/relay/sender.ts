/**
 * Sends claimed rows with an idempotent kafkajs producer and says, per aggregate, what happened.
 *
 * A batch goes out in one sendBatch. If Kafka rejects it, the failing aggregate is found by bisection (an
 * aggregate's rows are never split, so they stay in order) and only that aggregate's head row is blamed; the other
 * aggregates are delivered. If Kafka is unreachable, nothing is blamed: the caller releases the rows and waits.
 *
 * After ANY failed send the producer is replaced. kafkajs rolls its per-partition sequence numbers back when a
 * produce request fails, even for partitions the broker already appended; resending other records with the reused
 * sequence numbers could then be taken by the broker as duplicates of the earlier batch and silently dropped, or
 * stall the producer with OUT_OF_ORDER_SEQUENCE_NUMBER. A new producer id starts clean; the price is a possible
 * duplicate, which consumers absorb (at-least-once + inbox).
 */
import { CompressionTypes, Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { Logger } from '../../common/logger';
import { classifySendError, describeError } from './errors';
import { groupByAggregate, toTopicMessages } from '../../outbox/messages';
import type { OutboxRow } from '../../outbox/types';
import { startSendSpans } from './tracing';

export interface RejectedAggregate {
  /** The aggregate's first row: it takes the attempt and the error. */
  head: OutboxRow;
  /** The aggregate's later claimed rows: released, they wait behind the head. */
  rest: OutboxRow[];
  error: string;
}

export interface SendReport {
  sent: OutboxRow[];
  rejected: RejectedAggregate[];
  /** Rows not delivered because Kafka was unreachable (release them; attempts unchanged). */
  unsent: OutboxRow[];
  /** Set when Kafka was unreachable. */
  unavailable?: string;
}

export interface SenderOptions {
  /** config.kafka.namePrefix: the topics are `<prefix>dtx.<aggregate>.events` (outbox/topics.ts). */
  namePrefix: string;
  /** Compression of produced batches (default none). */
  compression?: CompressionTypes;
}

export class OutboxSender {
  private producer: Producer | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly logger: Logger,
    private readonly options: SenderOptions,
  ) {}

  private newProducer(): Producer {
    return this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      // The Java client's murmur2 partitioner: a key lands on the same partition as from any other Kafka client.
      createPartitioner: Partitioners.DefaultPartitioner,
      // Short internal retries: a longer outage is the relay's business (it releases rows and backs off).
      retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2000 },
    });
  }

  /** The connected producer, created on first use and after every failure. */
  private async connected(): Promise<Producer> {
    if (this.producer) return this.producer;
    const producer = this.newProducer();
    try {
      await producer.connect();
    } catch (error) {
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
    this.producer = producer;
    return producer;
  }

  private async discardProducer(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    if (producer)
      await producer
        .disconnect()
        .catch((error: unknown) =>
          this.logger.debug({ err: describeError(error) }, 'producer disconnect failed'),
        );
  }

  /** Sends the rows (in (txid, seq) order); never throws for Kafka errors, it reports them. */
  async send(rows: OutboxRow[]): Promise<SendReport> {
    const report: SendReport = { sent: [], rejected: [], unsent: [] };
    if (rows.length > 0) await this.sendGroups(groupByAggregate(rows), report);
    return report;
  }

  /** Tries to send rows in one batch; on failure replaces the producer and classifies the error. */
  private async trySend(
    rows: OutboxRow[],
  ): Promise<{ ok: true } | { ok: false; kind: 'rejected' | 'unavailable'; error: string }> {
    const topicMessages = toTopicMessages(rows, this.options.namePrefix);
    const endSpans = startSendSpans(topicMessages);
    try {
      const producer = await this.connected();
      await producer.sendBatch({ topicMessages, acks: -1, compression: this.options.compression });
      endSpans?.();
      return { ok: true };
    } catch (error) {
      const described = describeError(error);
      endSpans?.(described);
      await this.discardProducer();
      return { ok: false, kind: classifySendError(error), error: described };
    }
  }

  /** Sends several aggregates' runs; a rejected batch is bisected by aggregate. */
  private async sendGroups(groups: OutboxRow[][], report: SendReport): Promise<void> {
    if (report.unavailable !== undefined) {
      report.unsent.push(...groups.flat());
      return;
    }
    if (groups.length === 1) {
      await this.sendRun(groups[0], report);
      return;
    }
    const result = await this.trySend(groups.flat());
    if (result.ok) {
      report.sent.push(...groups.flat());
      return;
    }
    if (result.kind === 'unavailable') {
      report.unavailable = result.error;
      report.unsent.push(...groups.flat());
      return;
    }
    this.logger.debug(
      { aggregates: groups.length, err: result.error },
      'batch rejected; bisecting by aggregate',
    );
    const middle = Math.ceil(groups.length / 2);
    await this.sendGroups(groups.slice(0, middle), report);
    await this.sendGroups(groups.slice(middle), report);
  }

  /**
   * Sends a run of ONE aggregate's rows in order. A rejected run is split in halves, the first half first, so the
   * rows before the culprit are delivered and the culprit is the one blamed; rows after it wait behind it.
   * Returns false when the run was not fully delivered.
   */
  private async sendRun(rows: OutboxRow[], report: SendReport): Promise<boolean> {
    if (report.unavailable !== undefined) {
      report.unsent.push(...rows);
      return false;
    }
    const result = await this.trySend(rows);
    if (result.ok) {
      report.sent.push(...rows);
      return true;
    }
    if (result.kind === 'unavailable') {
      report.unavailable = result.error;
      report.unsent.push(...rows);
      return false;
    }
    if (rows.length === 1) {
      report.rejected.push({ head: rows[0], rest: [], error: result.error });
      return false;
    }
    const middle = Math.ceil(rows.length / 2);
    const right = rows.slice(middle);
    if (!(await this.sendRun(rows.slice(0, middle), report))) {
      this.holdBehind(right, report);
      return false;
    }
    return this.sendRun(right, report);
  }

  /** Rows that must not go out because an earlier row of their aggregate was not delivered. */
  private holdBehind(rows: OutboxRow[], report: SendReport): void {
    const lastRejection = report.rejected[report.rejected.length - 1];
    if (report.unavailable === undefined && lastRejection) lastRejection.rest.push(...rows);
    else report.unsent.push(...rows);
  }

  async close(): Promise<void> {
    await this.discardProducer();
  }
}
