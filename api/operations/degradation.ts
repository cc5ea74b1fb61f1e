/**
 * Degradation that says what happened (issue 13): a new order whose forward steps need a service the worker's circuit
 * breaker has given up on is refused at once with 503 UNAVAILABLE (reason CIRCUIT_OPEN) naming the service, instead of
 * queueing for the forward retries to fail one by one and compensate a minute later. Running transactions are not
 * touched: their compensations keep retrying in the worker until the service is back.
 *
 * The breakers live in the worker process; the API reads them from the workers' ops servers (/metrics, the
 * dtx_breaker_state gauge: services/rpc/breaker-state.ts). Cheap on the hot path: an admission reads a snapshot in
 * memory; a snapshot older than `refreshMs` is refreshed in the background by the request that noticed (one fetch at
 * a time, none while no orders come in); only the very first admission of a process waits for one (bounded by the
 * fetch timeout). A service counts as down when every worker that answered has its breaker open (half-open: a probe
 * is on its way, let orders in). A worker that does not answer says nothing: orders queue in Temporal as before.
 */
import type { ServiceName } from '../../common/config';
import { fetchBreakerStates, type BreakerState } from '../../services/rpc/breaker-state';
import { DtxError } from './errors';

/** The breakers of every worker that answered: ops URL → service → state; `error` for those that did not. */
export interface BreakerReport {
  url: string;
  states?: Partial<Record<ServiceName, BreakerState>>;
  error?: string;
}

export interface BreakerGate {
  /** Refuses (503 CIRCUIT_OPEN naming the service) an order that needs a service whose breaker is open. */
  admit(body: unknown): Promise<void>;
  /** Every worker's breakers, fetched now (`dtx breakers`). */
  report(): Promise<BreakerReport[]>;
}

/** How long the API waits for a worker's /metrics (in the background, but the first admission waits for it). */
const FETCH_TIMEOUT_MS = 1_000;

/** The services an order's forward steps call: order, inventory (quote and stock), payment; coupon with a coupon. */
export function forwardServices(body: unknown): ServiceName[] {
  const coupon = (body as { couponCode?: unknown } | null)?.couponCode;
  return [
    'order',
    'inventory',
    ...(typeof coupon === 'string' && coupon !== '' ? (['coupon'] as const) : []),
    'payment',
  ];
}

/** The services every answering worker reports open (none when no worker answered). */
export function openServices(reports: BreakerReport[]): ServiceName[] {
  const answered = reports.filter((r) => r.states !== undefined);
  if (answered.length === 0) return [];
  const services = Object.keys(answered[0].states ?? {}) as ServiceName[];
  return services.filter((s) => answered.every((r) => r.states?.[s] === 'open'));
}

export async function readBreakers(
  urls: readonly string[],
  fetchStates: typeof fetchBreakerStates = fetchBreakerStates,
  timeoutMs = FETCH_TIMEOUT_MS,
): Promise<BreakerReport[]> {
  return Promise.all(
    urls.map(async (url): Promise<BreakerReport> => {
      try {
        return { url, states: await fetchStates(url, timeoutMs) };
      } catch (error) {
        return { url, error: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
}

export function breakerGate(
  urls: readonly string[],
  options: { refreshMs: number; retryAfterSeconds: number; fetchStates?: typeof fetchBreakerStates },
): BreakerGate {
  let open: ServiceName[] | undefined;
  let fetchedAt = 0;
  let fetching: Promise<void> | undefined;
  const refresh = (): Promise<void> =>
    (fetching ??= readBreakers(urls, options.fetchStates).then((reports) => {
      open = openServices(reports);
      fetchedAt = Date.now();
      fetching = undefined;
    }));

  return {
    async admit(body) {
      if (urls.length === 0) return;
      if (open === undefined) await refresh();
      else if (Date.now() - fetchedAt >= options.refreshMs) void refresh();
      const down = forwardServices(body).filter((s) => open?.includes(s));
      if (down.length === 0) return;
      const names = down.join(', ');
      throw new DtxError(
        'UNAVAILABLE',
        `the ${names} service${down.length > 1 ? 's are' : ' is'} unavailable: the worker's circuit breaker for ` +
          `${names} is open after repeated failures; nothing was started, try again in ${options.retryAfterSeconds} s`,
        { reason: 'CIRCUIT_OPEN', retryAfterSeconds: options.retryAfterSeconds },
      );
    },
    report: () => readBreakers(urls, options.fetchStates),
  };
}
