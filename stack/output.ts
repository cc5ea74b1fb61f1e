/** Progress lines of the stack manager: one line per step, prefixed by the component, with elapsed times. */

/** Where progress lines go (stdout by default; tests can collect them). */
export interface Reporter {
  line(scope: string, text: string): void;
}

export const consoleReporter: Reporter = {
  line(scope, text) {
    process.stdout.write(`[${scope}] ${text}\n`);
  },
};

/** A reporter that drops everything (for callers that only want the result). */
export const silentReporter: Reporter = { line: () => undefined };

/** "0.8 s", "12.3 s", "3 min 05 s". */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(ms / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  return `${minutes} min ${String(totalSeconds % 60).padStart(2, '0')} s`;
}

/** Milliseconds since `startedAt`, formatted. */
export function since(startedAt: number): string {
  return formatDuration(Date.now() - startedAt);
}
