/**
 * Structured JSON logs (pino) for every dtx process; the level comes from LOG_LEVEL via common/config, the target
 * from DTX_LOG_FILE (default stdout; the tests give each test file its own file).
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import { loadConfig } from './config';

export type { Logger } from 'pino';

/** One append stream per log file and process, shared by all its loggers (not a file descriptor per logger). */
let fileDestination: { file: string; stream: DestinationStream } | undefined;

function destinationOf(logFile: string): DestinationStream {
  if (fileDestination?.file !== logFile) {
    // sync: the lines before a crash or a SIGKILL (the crash tests) reach the file
    const stream = pino.destination({ dest: logFile, append: true, mkdir: true, sync: true });
    fileDestination = { file: logFile, stream };
  }
  return fileDestination.stream;
}

/** A logger named after its component (e.g. `inventory`, `relay`); bindings are added to every line. */
export function createLogger(name: string, bindings: Record<string, unknown> = {}): Logger {
  const config = loadConfig();
  const options = { name, level: config.logLevel, base: { pid: process.pid, ...bindings } };
  return config.logFile === undefined ? pino(options) : pino(options, destinationOf(config.logFile));
}
