/**
 * The wait between two attempts of a call (lib/transaction.ts): capped exponential backoff with FULL jitter — a
 * uniformly random wait between 0 and the capped exponential (docs/design.md, "Retries and jitter"). Without it,
 * every transaction that failed against the same outage retries at the same instants and hits the recovering
 * service in waves; with it their attempts spread over the whole interval.
 *
 * The random source is the workflow's Math.random: deterministic per run (seeded by the server), so a replay
 * computes the same waits, while two transactions draw different ones.
 */
import type { RetryTuning } from './types';

/**
 * Workflow patch of the jittered waits: a history recorded before it replays with the waits it recorded (the plain
 * capped exponential).
 */
export const JITTERED_BACKOFF_PATCH = 'dtx-jittered-backoff';

/**
 * History budget of a call that keeps failing for a long time (a compensation against a service that is down):
 * each attempt costs ~11 history events, so at a 60 s cap a day of failures is ~16k events and the 50k-event
 * limit would be reached in ~3 days. After an hour of failures the backoff cap widens to 5 minutes (~3k events
 * a day). The 51,200-event limit is not reached at all: a settle loop continues-as-new first.
 */
const LONG_OUTAGE_AFTER_MS = 60 * 60_000;
const LONG_OUTAGE_INTERVAL_MS = 5 * 60_000;

/** The capped exponential after `attempt` failures (1-based), without jitter: the ceiling of the jittered wait. */
export function backoffCeilingMs(attempt: number, failingForMs: number, tuning: RetryTuning): number {
  const { initialIntervalMs, backoffCoefficient, maximumIntervalMs } = tuning;
  const cap =
    failingForMs > LONG_OUTAGE_AFTER_MS
      ? Math.max(maximumIntervalMs, LONG_OUTAGE_INTERVAL_MS)
      : maximumIntervalMs;
  return Math.min(initialIntervalMs * backoffCoefficient ** (attempt - 1), cap);
}

/** Full jitter: uniform in [1, ceiling] ms (a timer needs at least 1 ms). */
export function fullJitterMs(ceilingMs: number, random: () => number): number {
  return Math.max(1, Math.round(random() * ceilingMs));
}
