/** The order timeline projector: consumes every event topic into dtx_timeline through the idempotent inbox. */
import type { Kafka } from 'kafkajs';
import type { Knex } from 'knex';
import { loadConfig, type Config } from '../../common/config';
import { createDb } from '../../common/db';
import { createKafka } from '../../common/kafka';
import { consumerGroupId, ensureTopics, eventTopics } from '../../outbox/topics';
import { createLogger, type Logger } from '../../common/logger';
import { migrateDatabase } from '../../common/migrate';
import type { ReadinessCheck } from '../../common/ops-server';
import { IdempotentConsumer, purgeInbox } from '../../outbox/inbox/consumer';
import { projectEvent } from '../../timeline/project';

const INBOX_PURGE_EVERY_MS = 60 * 60_000;

/** The projector's name in the inbox table. */
export const TIMELINE_CONSUMER = 'timeline-projector';
/** Its Kafka consumer group, under config.kafka.namePrefix (consumerGroupId). */
export const TIMELINE_GROUP_ID = 'dtx-timeline-projector';

export interface TimelineProjectorOptions {
  /** Timeline database URL (default: config.databases.timeline). */
  databaseUrl?: string;
  kafka?: Kafka;
  /** Default: TIMELINE_GROUP_ID under config.kafka.namePrefix. */
  groupId?: string;
  /** Where a group without committed offsets starts (default true: the whole history). */
  fromBeginning?: boolean;
  /** Called when the consumer crashed for good (default: nothing; the entry point exits). */
  onFatal?: (error: Error) => void;
  /** Apply migrations/timeline before starting (default true). */
  migrate?: boolean;
  config?: Config;
}

export class TimelineProjector {
  private readonly purgeTimer: NodeJS.Timeout;

  private constructor(
    private readonly consumer: IdempotentConsumer,
    readonly db: Knex,
    retentionDays: number,
    logger: Logger,
  ) {
    this.purgeTimer = setInterval(() => {
      purgeInbox(db, TIMELINE_CONSUMER, retentionDays)
        .then((deleted) => deleted > 0 && logger.info({ deleted }, 'deleted inbox rows past retention'))
        .catch((error: unknown) =>
          logger.warn(
            { err: error instanceof Error ? error.message : String(error) },
            'inbox cleanup failed',
          ),
        );
    }, INBOX_PURGE_EVERY_MS);
    this.purgeTimer.unref();
  }

  static async start(options: TimelineProjectorOptions = {}): Promise<TimelineProjector> {
    const config = options.config ?? loadConfig();
    const logger = createLogger('timeline-projector');
    const db = createDb('timeline', {
      url: options.databaseUrl,
      poolMax: 4,
      applicationName: 'dtx-timeline-projector',
    });
    try {
      if (options.migrate !== false) await migrateDatabase(db, 'timeline');
      const kafka = options.kafka ?? createKafka({ clientSuffix: 'timeline', config });
      await ensureTopics(kafka, { config });
      const groupId = options.groupId ?? consumerGroupId(TIMELINE_GROUP_ID, config.kafka.namePrefix);
      const topics = eventTopics(config.kafka.namePrefix);
      const consumer = await IdempotentConsumer.start({
        kafka,
        db,
        consumer: TIMELINE_CONSUMER,
        groupId,
        topics,
        fromBeginning: options.fromBeginning ?? true,
        handler: projectEvent,
        logger,
        onFatal: options.onFatal,
      });
      logger.info({ groupId, topics }, 'timeline projector started');
      return new TimelineProjector(consumer, db, config.relay.inboxRetentionDays, logger);
    } catch (error) {
      await db.destroy();
      throw error;
    }
  }

  /** Resolves once the consumer has fetched (its start positions are fixed). */
  get ready(): Promise<void> {
    return this.consumer.ready;
  }

  /** The ops server's readiness: the Kafka consumer runs in its group, the timeline database answers. */
  readinessChecks(): Record<string, ReadinessCheck> {
    return {
      consumer: () => Promise.resolve(this.consumer.running),
      database: () => this.db.raw('select 1').then(() => true),
    };
  }

  /** Events applied / skipped as duplicates / skipped as stale since start. */
  get counts(): { applied: number; duplicates: number; stale: number } {
    return this.consumer.counts;
  }

  async stop(): Promise<void> {
    clearInterval(this.purgeTimer);
    await this.consumer.stop();
    await this.db.destroy();
  }
}
