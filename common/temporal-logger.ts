/**
 * The Temporal SDK's logs through pino: a Logger for `Runtime.install({ logger })` that writes each SDK line (the
 * worker's own and, with `telemetryOptions.logging.forward`, the Rust core's) as a JSON line of the given pino
 * logger, so they honour LOG_LEVEL and have the shape of every other line.
 */
import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import type { Logger } from './logger';

/** Temporal's level for a pino level: the SDK filters (and core forwards) from it, pino then filters again. */
export function temporalLogLevel(level: string): LogLevel {
  switch (level) {
    case 'trace':
      return 'TRACE';
    case 'debug':
      return 'DEBUG';
    case 'info':
      return 'INFO';
    case 'warn':
      return 'WARN';
    default:
      // error, fatal, silent: the SDK has no level above ERROR (pino drops what `silent` excludes)
      return 'ERROR';
  }
}

const PINO_METHOD = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/**
 * The SDK's metadata as log fields: symbol keys (the SDK's timestamp) dropped, BigInts as strings (JSON has none),
 * an `error` field under pino's `err` key so pino's serializer writes its message and stack.
 */
export function logFields(meta: LogMetadata | undefined): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  if (!meta) return fields;
  for (const key of Object.keys(meta)) {
    const value: unknown = meta[key];
    if (value === undefined) continue;
    const out = typeof value === 'bigint' ? value.toString() : value;
    fields[key === 'error' && value instanceof Error ? 'err' : key] = out;
  }
  return fields;
}

/** A Temporal SDK Logger writing to `log` (e.g. `createLogger('temporal')`). */
export function pinoTemporalLogger(log: Logger): TemporalLogger {
  const write = (level: LogLevel, message: string, meta?: LogMetadata): void => {
    const method = PINO_METHOD[level];
    // the SDK logs every activity start and completion at DEBUG: skip copying fields pino would drop anyway
    if (log.isLevelEnabled(method)) log[method](logFields(meta), message);
  };
  return {
    log: write,
    trace: (message, meta) => write('TRACE', message, meta),
    debug: (message, meta) => write('DEBUG', message, meta),
    info: (message, meta) => write('INFO', message, meta),
    warn: (message, meta) => write('WARN', message, meta),
    error: (message, meta) => write('ERROR', message, meta),
  };
}
