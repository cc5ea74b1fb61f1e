/**
 * Admission of new orders: a cap on transactions in flight, so that a burst cannot pile unbounded work onto Temporal
 * and the worker. Shared by `POST /v1/orders` and `dtx order place` (the HTTP API's per-client rate limits are in
 * api/http/rate-limit.ts).
 *
 * How in-flight is counted, cheaply and never below the truth:
 *  - Temporal's visibility count of running order workflows on the orders' task queue (one CountWorkflowExecutions,
 *    at most once per `refreshMs`, only while orders come in): every API process and the CLI see the same number;
 *  - plus every order this process admitted that the count cannot contain yet: still starting, or started less than
 *    `visibilityLagMs` before the count was taken (visibility is written after the start returns). An order whose
 *    final outcome this process saw (`?wait=true`) leaves at once.
 * Between two counts finished transactions are not subtracted, so the estimate errs high: a 429 can come a little
 * early, never late. The check and the increment happen in one synchronous step, so concurrent requests of one
 * process cannot overshoot the cap together; several API processes can, by at most the orders each admits between
 * two counts.
 */
import { Counter, Gauge, register } from 'prom-client';
import type { ApiDependencies } from './deps';
import { DtxError, tooManyRequests } from './errors';
import { placeOrder, validateOrderRequest, type PlaceOrderRequest } from './orders';
import type { PlaceOrderResponse } from './schemas';

export interface InFlightSettings {
  /** At most this many order transactions running at once (DTX_API_MAX_IN_FLIGHT). */
  max: number;
  /** How old the visibility count may be before an admission asks again (DTX_API_IN_FLIGHT_REFRESH_MS). */
  refreshMs: number;
  /** How long after a start the count may still miss the new transaction. */
  visibilityLagMs?: number;
}

/** One admitted order: tell the limiter what became of it. */
export interface InFlightSlot {
  /** The order's transaction started (or may have): it counts until a count taken after it includes it. */
  started(): void;
  /** Nothing runs for it (its outcome is final, it was refused, or it joined an existing transaction). */
  release(): void;
}

export interface InFlightLimit {
  /** A slot for one new order; TOO_MANY_REQUESTS (reason IN_FLIGHT_CAP, with retry-after) when the cap is reached. */
  admit(): Promise<InFlightSlot>;
  /** The current estimate of transactions in flight. */
  estimate(): number;
  readonly max: number;
}

/** Same metric object for every limiter of the process (tests build several; the registry is global). */
function metric<T>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}
const inFlightGauge = metric(
  'dtx_api_in_flight_transactions',
  () =>
    new Gauge({
      name: 'dtx_api_in_flight_transactions',
      help: 'Order transactions in flight as admission estimates them (visibility count + recent starts)',
    }),
);
export const admissionRejections = metric(
  'dtx_api_admission_rejected_total',
  () =>
    new Counter({
      name: 'dtx_api_admission_rejected_total',
      help: 'Requests refused with 429 before doing anything, by reason (RATE_LIMITED, IN_FLIGHT_CAP)',
      labelNames: ['reason'],
    }),
);

interface Entry {
  /** When the start returned (undefined while starting). */
  startedAt?: number;
}

const DEFAULT_VISIBILITY_LAG_MS = 1_000;

/**
 * The cap over a count of running transactions (`count`, e.g. Temporal visibility). A count that fails leaves the
 * last one in place (0 before any): the local starts still bound what this process adds, and a start would fail too.
 */
export function inFlightLimit(
  settings: InFlightSettings,
  count: () => Promise<number>,
  onCountError: (error: unknown) => void = () => undefined,
): InFlightLimit {
  const lagMs = settings.visibilityLagMs ?? DEFAULT_VISIBILITY_LAG_MS;
  const entries = new Set<Entry>();
  let visible: number | undefined;
  let countedAt = 0;
  let counting: Promise<void> | undefined;

  const estimate = () => (visible ?? 0) + entries.size;
  const refresh = (): Promise<void> =>
    (counting ??= (async () => {
      const began = Date.now();
      try {
        visible = await count();
        // starts that the count must include: returned at least lagMs before it began
        for (const entry of entries)
          if (entry.startedAt !== undefined && entry.startedAt + lagMs <= began) entries.delete(entry);
      } catch (error) {
        visible ??= 0;
        onCountError(error);
      } finally {
        countedAt = began;
        counting = undefined;
        inFlightGauge.set(estimate());
      }
    })());

  const retryAfterSeconds = Math.max(1, Math.ceil(settings.refreshMs / 1000));
  const full = () => estimate() + 1 > settings.max;

  return {
    max: settings.max,
    estimate,
    async admit() {
      const stale = Date.now() - countedAt >= settings.refreshMs;
      if (visible === undefined) await refresh();
      else if (stale) {
        // near the cap a fresh count decides; otherwise the request does not wait for it
        if (full()) await refresh();
        else void refresh();
      }
      if (full()) {
        admissionRejections.inc({ reason: 'IN_FLIGHT_CAP' });
        throw tooManyRequests(
          'IN_FLIGHT_CAP',
          `too many transactions in flight (about ${estimate()}, cap ${settings.max}); nothing was started, try again in ${retryAfterSeconds} s`,
          retryAfterSeconds,
        );
      }
      const entry: Entry = {};
      entries.add(entry);
      inFlightGauge.set(estimate());
      return {
        started: () => {
          if (entries.has(entry)) entry.startedAt ??= Date.now();
        },
        release: () => {
          entries.delete(entry);
          inFlightGauge.set(estimate());
        },
      };
    },
  };
}

/**
 * Runs one order placement inside a slot: refused at once when the cap is reached (before the request touches any
 * database or Temporal), released when the answer carries the final outcome or nothing new was started.
 */
export async function admitOrder(
  limit: InFlightLimit,
  place: () => Promise<PlaceOrderResponse>,
): Promise<PlaceOrderResponse> {
  const slot = await limit.admit();
  let response: PlaceOrderResponse;
  try {
    response = await place();
  } catch (error) {
    // a refused request started nothing; anything else may have started the transaction
    if (error instanceof DtxError && (error.code === 'BAD_REQUEST' || error.code === 'CONFLICT'))
      slot.release();
    else slot.started();
    throw error;
  }
  if (response.outcome !== undefined || response.replayed) slot.release();
  else slot.started();
  return response;
}

/** `placeOrder` behind the in-flight cap: what `POST /v1/orders` and `dtx order place` call. */
export function placeAdmittedOrder(
  deps: ApiDependencies,
  request: PlaceOrderRequest,
): Promise<PlaceOrderResponse> {
  // a bad request is a 400 whatever the load (and never takes a slot)
  validateOrderRequest(request.body);
  return admitOrder(deps.inFlight, () => placeOrder(deps, request));
}

/** The visibility query of the order transactions running on a task queue (tests run their own queue). */
export function runningTransactionsQuery(taskQueue: string): string {
  return `TaskQueue = '${taskQueue.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}' AND ExecutionStatus = 'Running'`;
}
