/** Structured JSON logs (pino) for every dtx process; the level comes from LOG_LEVEL via common/config. */
import pino, { type Logger } from 'pino';
import { loadConfig } from './config';

export type { Logger } from 'pino';

/** A logger named after its component (e.g. `inventory`, `relay`); bindings are added to every line. */
export function createLogger(name: string, bindings: Record<string, unknown> = {}): Logger {
  return pino({ name, level: loadConfig().logLevel, base: { pid: process.pid, ...bindings } });
}
