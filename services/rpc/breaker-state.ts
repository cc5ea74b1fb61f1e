/**
 * The worker's circuit breakers as others see them (activities/breakers.ts keeps them): the dtx_breaker_state gauge
 * on the worker's /metrics, read back by the API (admission) and `dtx breakers`.
 */
import { SERVICE_NAMES, type ServiceName } from '../../common/config';

export type BreakerState = 'closed' | 'open' | 'half-open';

/** The gauge's value per state. */
export const BREAKER_STATE_VALUES: Record<BreakerState, number> = { closed: 0, open: 1, 'half-open': 2 };

/** The gauge the worker exports, one sample per service. */
export const BREAKER_STATE_METRIC = 'dtx_breaker_state';

/** Breaker states out of Prometheus text (a worker's /metrics): the services it has a sample of. */
export function parseBreakerStates(metrics: string): Partial<Record<ServiceName, BreakerState>> {
  const states: Partial<Record<ServiceName, BreakerState>> = {};
  const byValue = new Map(Object.entries(BREAKER_STATE_VALUES).map(([k, v]) => [v, k as BreakerState]));
  const sample = new RegExp(`^${BREAKER_STATE_METRIC}\\{service="([a-z]+)"\\}\\s+(\\d+)`, 'gm');
  for (const match of metrics.matchAll(sample)) {
    const service = SERVICE_NAMES.find((s) => s === match[1]);
    const state = byValue.get(Number(match[2]));
    if (service && state) states[service] = state;
  }
  return states;
}

/** Reads the breakers of the worker whose ops server is at `opsUrl` (its /metrics); rejects when it does not answer. */
export async function fetchBreakerStates(
  opsUrl: string,
  timeoutMs = 1_000,
): Promise<Partial<Record<ServiceName, BreakerState>>> {
  const response = await fetch(`${opsUrl.replace(/\/$/, '')}/metrics`, {
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) throw new Error(`${opsUrl}/metrics answered ${response.status}`);
  return parseBreakerStates(await response.text());
}
