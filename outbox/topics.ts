/**
 * Every Kafka name dtx derives, in one place: the event topic of each aggregate type and the consumer groups,
 * all under config.kafka.namePrefix (DTX_KAFKA_PREFIX, empty by default), plus the topics' creation.
 */
import type { Kafka } from 'kafkajs';
import { loadConfig, SERVICE_NAMES, type Config, type ServiceName } from '../common/config';

/** Each service publishes the events of exactly one aggregate type, named after the service. */
export type AggregateType = ServiceName;
export const AGGREGATE_TYPES: readonly AggregateType[] = SERVICE_NAMES;

/** The Kafka topic of an aggregate type's events: `<prefix>dtx.<aggregateType>.events`. */
export function topicFor(aggregateType: string, namePrefix: string): string {
  return `${namePrefix}dtx.${aggregateType}.events`;
}

/** Every event topic (one per aggregate type). */
export function eventTopics(namePrefix: string): string[] {
  return AGGREGATE_TYPES.map((type) => topicFor(type, namePrefix));
}

/** A consumer group id dtx owns (e.g. the timeline projector's), under the same prefix as the topics it reads. */
export function consumerGroupId(name: string, namePrefix: string): string {
  return `${namePrefix}${name}`;
}

export interface EnsureTopicsOptions {
  /** Default: every event topic under config.kafka.namePrefix. */
  topics?: readonly string[];
  /** Default: config.kafka.topicPartitions. */
  partitions?: number;
  /** Default: config.kafka.topicReplicationFactor. */
  replicationFactor?: number;
  config?: Config;
}

/** Creates the missing topics (existing ones are left as they are) and waits for their leaders. */
export async function ensureTopics(kafka: Kafka, options: EnsureTopicsOptions = {}): Promise<string[]> {
  const config = options.config ?? loadConfig();
  const wanted = options.topics ?? eventTopics(config.kafka.namePrefix);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = wanted.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: options.partitions ?? config.kafka.topicPartitions,
          replicationFactor: options.replicationFactor ?? config.kafka.topicReplicationFactor,
        })),
      });
    }
    return missing;
  } finally {
    await admin.disconnect();
  }
}
