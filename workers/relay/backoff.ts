/** Capped exponential backoff with full jitter, for failed rows and for the relay's own waits. */

/**
 * Delay before attempt `attempt + 1` after `attempt` failures (1-based): base * 2^(attempt-1), capped at `maxMs`,
 * then FULL jitter — a uniformly random point in [0, capped] (docs/design.md, "Retries and jitter"): relays, lanes and
 * rows that failed together (a Kafka or database outage) come back spread over the whole interval instead of in
 * waves at its upper half. At least 1 ms.
 */
export function retryDelayMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const capped = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(attempt, 1) - 1, 40));
  return Math.max(1, Math.round(random() * capped));
}
