/** Readiness: every dependency the API needs answers, or which one does not. */
import type { ApiDependencies } from './deps';
import { describeError } from './errors';
import type { Readiness } from './schemas';

/** How long one probe may take before it counts as not answering. */
export const PROBE_TIMEOUT_MS = 3_000;

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs every probe in parallel; ready only when all answer. */
export async function readiness(deps: ApiDependencies, timeoutMs = PROBE_TIMEOUT_MS): Promise<Readiness> {
  const checks = await Promise.all(
    deps.probes.map(async (probe) => {
      const started = Date.now();
      try {
        await withTimeout(probe.check(), timeoutMs);
        return { name: probe.name, ok: true, latencyMs: Date.now() - started };
      } catch (error) {
        return { name: probe.name, ok: false, error: describeError(error), latencyMs: Date.now() - started };
      }
    }),
  );
  return { status: checks.every((check) => check.ok) ? 'ready' : 'unavailable', checks };
}
