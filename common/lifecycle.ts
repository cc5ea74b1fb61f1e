/**
 * The one lifecycle of every long-running dtx process (services, orchestrator, relay, projector, API):
 * - `start` runs once; if it fails, the error is logged as fatal and the process exits 1.
 * - SIGINT / SIGTERM / SIGHUP (or `control.stop()`): the stop function runs once, then exit 0 (the `npm start`
 *   supervisor sends SIGTERM and expects that). A signal during start waits for start, then stops.
 * - A stop that takes longer than `graceMs`, or that fails, exits 1; a second signal exits 1 at once.
 * - `control.fail()` ends the process after an unrecoverable failure at run time (fatal log, exit 1), so a
 *   supervisor restarts it.
 */
import { createLogger, type Logger } from './logger';
import { shutdownTelemetry } from './telemetry';

/** Stops what `start` started: resolves once everything is drained and closed. */
export type Stop = () => Promise<void>;

export interface ProcessControl {
  log: Logger;
  /** Asks for the graceful stop, as a signal does (idempotent). */
  stop(this: void, reason: string): void;
  /** Logs `err` as fatal and exits 1 at once. */
  fail(this: void, err: unknown, message: string): never;
}

export interface RunProcessOptions {
  /** How long the graceful stop may take before the process exits 1 anyway (default 15 s). */
  graceMs?: number;
}

export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const DEFAULT_GRACE_MS = 15_000;

/** Runs a process entry: `start` returns how to stop it; signals, the grace timer and exit codes are handled here. */
export function runProcess(
  name: string,
  start: (control: ProcessControl) => Promise<Stop>,
  options: RunProcessOptions = {},
): void {
  const log = loggerOrExit(name);
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  let stopping = false;

  const fail = (err: unknown, message: string): never => {
    log.fatal({ err }, message);
    process.exit(1);
  };

  const control: ProcessControl = { log, stop: (reason) => void stopOnce(reason), fail };
  // start in a microtask: `started` exists before start can call control.stop, and a synchronous throw is caught
  const started = Promise.resolve()
    .then(() => start(control))
    .catch((err: unknown) => fail(err, `${name} failed to start`));

  async function stopOnce(reason: string): Promise<void> {
    if (stopping) return;
    stopping = true;
    log.info({ reason, graceMs }, `stopping ${name}`);
    // unref: the timer alone must not keep a process alive that has nothing else left to do
    setTimeout(() => {
      log.error({ graceMs }, `${name} did not stop within the grace period; exiting`);
      process.exit(1);
    }, graceMs).unref();
    try {
      const stop = await started;
      await stop();
    } catch (err) {
      fail(err, `${name} failed to stop cleanly`);
    }
    log.info(`${name} stopped`);
    await shutdownTelemetry();
    process.exit(0);
  }

  for (const signal of STOP_SIGNALS) {
    process.on(signal, () => {
      if (!stopping) return void stopOnce(signal);
      log.warn({ signal }, `second signal while stopping ${name}; exiting now`);
      process.exit(1);
    });
  }
}

/** The process's logger; a config it cannot be built from (e.g. a bad LOG_LEVEL) ends the process with the reason. */
function loggerOrExit(name: string): Logger {
  try {
    return createLogger(name);
  } catch (err) {
    process.stderr.write(`${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
