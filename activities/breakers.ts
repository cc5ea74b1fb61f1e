/**
 * One circuit breaker per downstream service, in the worker's gRPC call path (docs/design.md, "Circuit breakers").
 *
 * cockatiel's SamplingBreaker: the breaker opens when, over the last `windowMs`, at least `minimumCalls` calls were
 * made and more than `failureRate` of them failed transiently (UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED:
 * the service is down, stopped or swamped). Any other answer — a business rejection, an invalid argument — is the
 * service working, and counts as nothing. Open: calls fail at once with CircuitOpenError, nothing is sent. After
 * `cooldownMs` the next call is the one probe (half-open; calls meanwhile wait for its answer): a success (or any
 * non-transient answer) closes the breaker, a transient failure opens it for another cool-down.
 *
 * Every transition is logged and counted (dtx_breaker_state{service}, dtx_breaker_transitions_total{service,to} on
 * prom-client's default registry); `dtx breakers` and the API read the gauge from the worker's /metrics.
 */
import * as grpc from '@grpc/grpc-js';
import {
  BrokenCircuitError,
  circuitBreaker,
  CircuitState,
  handleWhen,
  SamplingBreaker,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import { Counter, Gauge } from 'prom-client';
import { SERVICE_NAMES, type BreakerConfig, type ServiceName } from '../common/config';
import type { Logger } from '../common/logger';
import { BREAKER_STATE_METRIC, BREAKER_STATE_VALUES, type BreakerState } from '../services/rpc/breaker-state';

export type { BreakerState };

/** gRPC codes that say the service is not answering (not: a business answer, a bug, a serialization abort). */
const UNHEALTHY_CODES: ReadonlySet<number> = new Set([
  grpc.status.UNAVAILABLE,
  grpc.status.DEADLINE_EXCEEDED,
  grpc.status.RESOURCE_EXHAUSTED,
]);

/** Whether a failed call counts against its service's breaker. */
export function countsAsFailure(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' && UNHEALTHY_CODES.has(code);
}

/** A call refused by an open breaker: nothing was sent. */
export class CircuitOpenError extends Error {
  constructor(
    readonly service: ServiceName,
    what: string,
    cooldownMs: number,
  ) {
    super(
      `CIRCUIT_OPEN (${service}): ${what} not sent — the ${service} breaker is open after repeated transient ` +
        `failures; one probe goes through ${cooldownMs} ms after it opened`,
    );
    this.name = 'CircuitOpenError';
  }
}

const stateGauge = new Gauge({
  name: BREAKER_STATE_METRIC,
  help: 'Circuit breaker of a downstream service, per worker: 0 closed, 1 open, 2 half-open',
  labelNames: ['service'],
});
const transitions = new Counter({
  name: 'dtx_breaker_transitions_total',
  help: 'Circuit breaker transitions per downstream service and new state',
  labelNames: ['service', 'to'],
});
const rejected = new Counter({
  name: 'dtx_breaker_rejected_calls_total',
  help: 'Calls failed fast by an open circuit breaker (never sent)',
  labelNames: ['service'],
});

const STATE_OF: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'open',
};

export class ServiceBreakers {
  private readonly policies: Record<ServiceName, CircuitBreakerPolicy>;

  constructor(
    readonly settings: BreakerConfig,
    log?: Logger,
  ) {
    this.policies = Object.fromEntries(
      SERVICE_NAMES.map((service) => {
        const policy = circuitBreaker(handleWhen(countsAsFailure), {
          halfOpenAfter: settings.cooldownMs,
          breaker: new SamplingBreaker({
            threshold: settings.failureRate,
            duration: settings.windowMs,
            // cockatiel takes the minimum volume as a rate over the window
            minimumRps: settings.minimumCalls / (settings.windowMs / 1000),
          }),
        });
        stateGauge.set({ service }, BREAKER_STATE_VALUES.closed);
        policy.onStateChange((state) => {
          const to = STATE_OF[state];
          stateGauge.set({ service }, BREAKER_STATE_VALUES[to]);
          transitions.inc({ service, to });
          const line = { service, breaker: to, cooldownMs: settings.cooldownMs };
          if (to === 'open') log?.warn(line, `circuit breaker of ${service} opened: calls fail fast`);
          else log?.info(line, `circuit breaker of ${service} ${to}`);
        });
        policy.onFailure(({ handled, reason }) => {
          if (!handled || !('error' in reason)) return;
          const err = reason.error as { code?: number; details?: string };
          log?.debug(
            { service, code: err.code, error: err.details },
            `call to ${service} failed transiently`,
          );
        });
        return [service, policy];
      }),
    ) as Record<ServiceName, CircuitBreakerPolicy>;
  }

  /** Runs one call to `service` through its breaker; rejects with CircuitOpenError when it is open. */
  async execute<T>(service: ServiceName, what: string, call: () => Promise<T>): Promise<T> {
    if (!this.settings.enabled) return call();
    try {
      return await this.policies[service].execute(call);
    } catch (err) {
      if (err instanceof BrokenCircuitError) {
        rejected.inc({ service });
        throw new CircuitOpenError(service, what, this.settings.cooldownMs);
      }
      throw err;
    }
  }

  state(service: ServiceName): BreakerState {
    return STATE_OF[this.policies[service].state];
  }

  /** Every breaker's state. */
  snapshot(): Record<ServiceName, BreakerState> {
    return Object.fromEntries(SERVICE_NAMES.map((s) => [s, this.state(s)])) as Record<
      ServiceName,
      BreakerState
    >;
  }
}

/** The service a call description (`inventory.TryReserve`) names. */
export function serviceOf(what: string): ServiceName {
  const service = what.slice(0, what.indexOf('.'));
  const known = SERVICE_NAMES.find((s) => s === service);
  if (!known) throw new Error(`"${what}" names no service (expected <service>.<Method>)`);
  return known;
}
