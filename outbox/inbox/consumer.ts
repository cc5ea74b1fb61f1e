/**
 * Idempotent consumption: the handler's effect and the inbox row commit in ONE database transaction, and the Kafka
 * offset is committed only after that transaction has (kafkajs commits the offsets of the messages whose handler
 * returned, once per fetched batch rather than once per message). A crash between the two redelivers the events;
 * the inbox rows make the redelivery change nothing.
 */
import type { Consumer, Kafka } from 'kafkajs';
import type { Knex } from 'knex';
import { Counter, Gauge } from 'prom-client';
import type { Logger } from '../../common/logger';
import { decodeEvent, type InboxEvent } from './event';

/** Events handled by an inbox consumer (the timeline projector: consumer="timeline-projector"), by outcome. */
const consumerEvents = new Counter({
  name: 'dtx_consumer_events_total',
  help: 'Events an idempotent consumer handled, by consumer and outcome: applied, duplicate (dropped by the inbox), stale, or ignored (a type it does not handle)',
  labelNames: ['consumer', 'outcome'] as const,
});

/** Messages behind the partition's end after the consumer's last batch (kafkajs' offsetLag at that fetch). */
const consumerLag = new Gauge({
  name: 'dtx_consumer_lag_messages',
  help: "Messages between a consumer's last processed batch and the partition's high watermark, by consumer, topic and partition",
  labelNames: ['consumer', 'topic', 'partition'] as const,
});

/** Applies an event in the inbox transaction; 'stale' when it chose to ignore it (e.g. an older aggregate version). */
export type InboxHandler = (trx: Knex.Transaction, event: InboxEvent) => Promise<'stale' | undefined | void>;
export type InboxOutcome = 'applied' | 'duplicate' | 'stale';

/**
 * Runs `handler` for `event` unless `consumer` already handled it. The inbox row is inserted first (insert-and-check,
 * never select-then-insert): a concurrent delivery of the same event waits on the key and then finds it taken.
 */
export async function handleOnce(
  db: Knex,
  consumer: string,
  event: InboxEvent,
  handler: InboxHandler,
): Promise<InboxOutcome> {
  return db.transaction(async (trx) => {
    const inserted = await trx.raw<{ rowCount: number }>(
      `insert into inbox (consumer, event_id, topic, "partition", "offset") values (?, ?, ?, ?, ?)
       on conflict (consumer, event_id) do nothing`,
      [consumer, event.eventId, event.topic, event.partition, event.offset],
    );
    if (inserted.rowCount === 0) return 'duplicate';
    return (await handler(trx, event)) === 'stale' ? 'stale' : 'applied';
  });
}

/**
 * Deletes `consumer`'s inbox rows older than `retentionDays`, in small batches; returns how many. A redelivery older
 * than that is no longer recognised, so the handler's own effect must also be unique per event (the timeline's is).
 */
export async function purgeInbox(
  db: Knex,
  consumer: string,
  retentionDays: number,
  batch = 1000,
): Promise<number> {
  let deleted = 0;
  for (;;) {
    const result = await db.raw<{ rowCount: number }>(
      `delete from inbox where ctid in (
         select ctid from inbox where consumer = ? and processed_at < now() - ?::int * interval '1 day' limit ?::int)`,
      [consumer, retentionDays, batch],
    );
    deleted += result.rowCount;
    if (result.rowCount < batch) return deleted;
  }
}

export interface IdempotentConsumerOptions {
  kafka: Kafka;
  db: Knex;
  /** Name in the inbox table (one consumer = one kind of effect). */
  consumer: string;
  groupId: string;
  topics: readonly string[];
  /** Where a group without committed offsets starts (default true: from the beginning). */
  fromBeginning?: boolean;
  handler: InboxHandler;
  /**
   * The event types the handler acts on (default: all). Others on the same topics are passed over before the inbox:
   * no row and no transaction for an event whose handling would change nothing (e.g. the payment bridge among all
   * payment events).
   */
  handles?: (eventType: string) => boolean;
  logger: Logger;
  /** Called when kafkajs gives up on the consumer (it will not restart it); a process would exit and be restarted. */
  onFatal?: (error: Error) => void;
}

/** A kafkajs consumer running `handler` exactly once per event (at-least-once delivery + inbox). */
export class IdempotentConsumer {
  private applied = 0;
  private duplicates = 0;
  private stale = 0;
  /** In its group and not crashed, stopped or disconnected since (the readiness probe). */
  private joined = false;

  private constructor(
    private readonly consumer: Consumer,
    /** Resolves after the first fetch: from then on the group's start positions are fixed. */
    readonly ready: Promise<void>,
  ) {}

  static async start(options: IdempotentConsumerOptions): Promise<IdempotentConsumer> {
    // Patient retries (about 15 min): a broker restart must not crash the consumer; offsets are only committed
    // after the handler's transaction anyway, so retrying never skips an event.
    const consumer = options.kafka.consumer({
      groupId: options.groupId,
      maxWaitTimeInMs: 200,
      retry: { retries: 100, initialRetryTime: 300, maxRetryTime: 10_000 },
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      const fields = { groupId: options.groupId, err: payload.error.message, restart: payload.restart };
      if (payload.restart) options.logger.warn(fields, 'consumer crashed; kafkajs restarts it');
      else {
        options.logger.error(fields, 'consumer crashed for good');
        options.onFatal?.(payload.error);
      }
    });
    const ready = new Promise<void>((resolve) => {
      const remove = consumer.on(consumer.events.FETCH, () => {
        remove();
        resolve();
      });
    });
    const running = new IdempotentConsumer(consumer, ready);
    consumer.on(consumer.events.GROUP_JOIN, () => {
      running.joined = true;
    });
    for (const event of [consumer.events.CRASH, consumer.events.STOP, consumer.events.DISCONNECT])
      consumer.on(event, () => {
        running.joined = false;
      });
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      consumerLag.set(
        { consumer: options.consumer, topic: payload.topic, partition: String(payload.partition) },
        Math.max(0, Number(payload.offsetLag)),
      );
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [...options.topics], fromBeginning: options.fromBeginning ?? true });
    await consumer.run({
      // kafkajs resolves a message's offset only after eachMessage returned (the handler's transaction committed)
      // and commits the resolved offsets after each fetched batch, or before retrying a failed message
      autoCommit: true,
      eachMessage: async ({ topic, partition, message }) => {
        const event = decodeEvent(topic, partition, message);
        if (options.handles && !options.handles(event.eventType)) {
          consumerEvents.inc({ consumer: options.consumer, outcome: 'ignored' });
          return;
        }
        const outcome = await handleOnce(options.db, options.consumer, event, options.handler);
        const fields = { eventId: event.eventId, topic, partition, offset: message.offset };
        consumerEvents.inc({ consumer: options.consumer, outcome });
        if (outcome === 'applied') running.applied += 1;
        else if (outcome === 'duplicate') {
          running.duplicates += 1;
          options.logger.debug(fields, 'duplicate event skipped');
        } else {
          running.stale += 1;
          options.logger.warn(
            {
              ...fields,
              aggregate: `${event.aggregateType}/${event.aggregateId}`,
              version: event.aggregateVersion?.toString(),
            },
            'stale event skipped: its aggregate already has a newer version applied',
          );
        }
      },
    });
    return running;
  }

  /** Events applied / skipped as duplicates / skipped as stale since start. */
  get counts(): { applied: number; duplicates: number; stale: number } {
    return { applied: this.applied, duplicates: this.duplicates, stale: this.stale };
  }

  /** Whether the consumer is in its group and running (not crashed, stopped or disconnected). */
  get running(): boolean {
    return this.joined;
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}
