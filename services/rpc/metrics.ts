/**
 * The services' Prometheus metrics (prom-client default registry, exposed by the launcher's ops server):
 *   dtx_grpc_server_calls_total{service,method,code}          every call, by its final gRPC status code name
 *   dtx_grpc_server_call_duration_seconds{service,method,code} the wrapper's view: faults, barrier, handler
 *   dtx_barrier_outcomes_total{service,op,outcome}            APPLIED, DUPLICATE, EMPTY (committed) or REFUSED
 */
import { Counter, Histogram } from 'prom-client';
import { currentCallService } from './call-budget';

export const grpcServerCalls = new Counter({
  name: 'dtx_grpc_server_calls_total',
  help: 'gRPC calls the services answered, by service, method and status code',
  labelNames: ['service', 'method', 'code'] as const,
});

export const grpcServerCallDuration = new Histogram({
  name: 'dtx_grpc_server_call_duration_seconds',
  help: 'Time from a gRPC call reaching a service to its answer, by service, method and status code',
  labelNames: ['service', 'method', 'code'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
});

export const barrierOutcomes = new Counter({
  name: 'dtx_barrier_outcomes_total',
  help: 'Barrier decisions by service, op and outcome: APPLIED, DUPLICATE, EMPTY (counted once committed) or REFUSED',
  labelNames: ['service', 'op', 'outcome'] as const,
});

/** Records a finished call. */
export function recordCall(service: string, method: string, code: string, seconds: number): void {
  grpcServerCalls.inc({ service, method, code });
  grpcServerCallDuration.observe({ service, method, code }, seconds);
}

/** Records a barrier decision; the service is the one serving the current call ('' outside a call). */
export function recordBarrier(op: string, outcome: 'APPLIED' | 'DUPLICATE' | 'EMPTY' | 'REFUSED'): void {
  barrierOutcomes.inc({ service: currentCallService() ?? '', op, outcome });
}
