/** Capped exponential backoff with jitter, for failed rows and for the relay's own waits. */

/**
 * Delay before attempt `attempt + 1` after `attempt` failures (1-based): base * 2^(attempt-1), capped at `maxMs`,
 * then "equal jitter" (a random point in the upper half) so relays and rows do not retry in lockstep.
 */
export function retryDelayMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const capped = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(attempt, 1) - 1, 40));
  return Math.round(capped / 2 + (random() * capped) / 2);
}
