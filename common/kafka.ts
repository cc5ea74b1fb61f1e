/**
 * The one kafkajs client factory (brokers, client id, TLS, SASL from common/config). Used by the outbox relay, the
 * timeline projector, the API and tests; the topic names and their creation are outbox/topics.ts'.
 */
import { Kafka, logLevel, type KafkaConfig, type LogEntry, type SASLOptions } from 'kafkajs';
import { loadConfig, type Config } from './config';
import { createLogger } from './logger';

export interface KafkaClientOptions {
  /** Appended to the configured client id (e.g. `relay`), so broker logs tell processes apart. */
  clientSuffix?: string;
  /** Default: loadConfig(). */
  config?: Config;
  /** kafkajs' own log level (default: errors only, debug when LOG_LEVEL is debug/trace). */
  logLevel?: logLevel;
}

function saslOptions(sasl: NonNullable<Config['kafka']['sasl']>): SASLOptions {
  switch (sasl.mechanism) {
    case 'plain':
      return { mechanism: 'plain', username: sasl.username, password: sasl.password };
    case 'scram-sha-256':
      return { mechanism: 'scram-sha-256', username: sasl.username, password: sasl.password };
    case 'scram-sha-512':
      return { mechanism: 'scram-sha-512', username: sasl.username, password: sasl.password };
  }
}

/** Routes kafkajs' logs into pino (component `kafkajs`). */
function pinoLogCreator(): (level: logLevel) => (entry: LogEntry) => void {
  const logger = createLogger('kafkajs');
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const { message, ...extra } = log;
      const fields = { namespace, ...extra };
      // kafkajs logs every retried protocol error at ERROR; the callers log the failures that matter.
      if (level === logLevel.ERROR || level === logLevel.WARN) logger.warn(fields, message);
      else if (level === logLevel.INFO) logger.info(fields, message);
      else logger.debug(fields, message);
    };
}

/** The kafkajs config for this deployment (exported for tools that build their own client). */
export function kafkaConfigFrom(
  config: Config,
  options: Omit<KafkaClientOptions, 'config'> = {},
): KafkaConfig {
  const verbose = config.logLevel === 'debug' || config.logLevel === 'trace';
  return {
    brokers: config.kafka.brokers,
    clientId: options.clientSuffix
      ? `${config.kafka.clientId}-${options.clientSuffix}`
      : config.kafka.clientId,
    ssl: config.kafka.ssl,
    sasl: config.kafka.sasl ? saslOptions(config.kafka.sasl) : undefined,
    connectionTimeout: 3000,
    requestTimeout: 30000,
    logLevel: options.logLevel ?? (verbose ? logLevel.DEBUG : logLevel.ERROR),
    logCreator: pinoLogCreator(),
  };
}

/** A kafkajs client for the configured cluster. */
export function createKafka(options: KafkaClientOptions = {}): Kafka {
  const config = options.config ?? loadConfig();
  return new Kafka(kafkaConfigFrom(config, options));
}
