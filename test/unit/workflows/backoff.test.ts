/**
 * The workflow's retry waits (workflows/lib/backoff.ts): full jitter under the capped exponential, drawn from the
 * run's deterministic random source. Two transactions (two seeds of the workflow's PRNG, alea, as Temporal seeds each
 * run) get different schedules; the same run replayed gets the same one.
 */
import { alea } from '@temporalio/workflow/lib/alea';
import { backoffCeilingMs, fullJitterMs } from '../../../workflows/lib/backoff';
import { DEFAULT_RETRY_TUNING } from '../../../workflows/contract';

/** The waits a call that fails `attempts` times in a row sleeps, for one run's random source. */
function schedule(random: () => number, attempts: number): number[] {
  const waits: number[] = [];
  let elapsed = 0;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const wait = fullJitterMs(backoffCeilingMs(attempt, elapsed, DEFAULT_RETRY_TUNING), random);
    waits.push(wait);
    elapsed += wait;
  }
  return waits;
}

test('two transactions retrying against the same outage wait differently', () => {
  const a = schedule(alea([1, 2, 3, 4]), 8);
  const b = schedule(alea([5, 6, 7, 8]), 8);
  expect(a).not.toEqual(b);
  // not merely one draw apart: most attempts land at different times
  const same = a.filter((wait, i) => Math.abs(wait - b[i]) < 50).length;
  expect(same).toBeLessThanOrEqual(2);
  // and the retry instants (cumulative) diverge too
  const at = (waits: number[]) => waits.map((_, i) => waits.slice(0, i + 1).reduce((x, y) => x + y, 0));
  expect(at(a)).not.toEqual(at(b));
});

test('a replay of the same run draws the same schedule (deterministic)', () => {
  expect(schedule(alea([9, 9, 9]), 8)).toEqual(schedule(alea([9, 9, 9]), 8));
});

test('each wait lies in [1, ceiling]; the ceiling doubles up to the cap', () => {
  const random = alea([42]);
  for (let attempt = 1; attempt <= 12; attempt++) {
    const ceiling = backoffCeilingMs(attempt, 0, DEFAULT_RETRY_TUNING);
    expect(ceiling).toBe(Math.min(1_000 * 2 ** (attempt - 1), 60_000));
    for (let i = 0; i < 50; i++) {
      const wait = fullJitterMs(ceiling, random);
      expect(wait).toBeGreaterThanOrEqual(1);
      expect(wait).toBeLessThanOrEqual(ceiling);
    }
  }
  expect(fullJitterMs(1_000, () => 0)).toBe(1);
  expect(fullJitterMs(1_000, () => 0.999_9)).toBe(1_000);
  // after an hour of failures the cap widens to 5 minutes (history budget)
  expect(backoffCeilingMs(30, 61 * 60_000, DEFAULT_RETRY_TUNING)).toBe(300_000);
});

test('the waits spread: many transactions on one attempt cover the interval, not one instant', () => {
  const firstWaits = Array.from({ length: 200 }, (_, i) => schedule(alea([i, 1]), 1)[0]);
  const buckets = new Set(firstWaits.map((w) => Math.floor(w / 100)));
  expect(buckets.size).toBeGreaterThanOrEqual(9); // 10 buckets of 100 ms in [0, 1000]
});
