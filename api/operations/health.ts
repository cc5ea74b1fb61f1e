/** Readiness: every dependency the API needs answers, or which one does not. */
import type { ApiDependencies } from './deps';
import { DtxError } from './errors';
import type { Readiness } from './schemas';

/** How long one probe may take before it counts as not answering. */
export const PROBE_TIMEOUT_MS = 3_000;

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DtxError('UNAVAILABLE', `no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Runs every probe in parallel; ready only when all answer. A failed check says what failed in dtx's words (a probe's
 * DtxError), never a driver's text or an address: those go to `log`.
 */
export async function readiness(
  deps: ApiDependencies,
  timeoutMs = PROBE_TIMEOUT_MS,
  log: (probe: string, error: unknown) => void = () => undefined,
): Promise<Readiness> {
  const checks = await Promise.all(
    deps.probes.map(async (probe) => {
      const started = Date.now();
      try {
        await withTimeout(probe.check(), timeoutMs);
        return { name: probe.name, ok: true, latencyMs: Date.now() - started };
      } catch (error) {
        log(probe.name, error);
        const text = error instanceof DtxError ? error.message : 'the check failed (details in the API log)';
        return { name: probe.name, ok: false, error: text, latencyMs: Date.now() - started };
      }
    }),
  );
  return { status: checks.every((check) => check.ok) ? 'ready' : 'unavailable', checks };
}
