/**
 * The parts `npm start` supervises: the four services (in one process: still four gRPC servers on four ports over four
 * databases), the orchestrator worker, the outbox relay, the timeline projector and the API; their commands, how each
 * shows it is ready, and the order they stop in (API first, then worker, relay and projector, then the services).
 */
import { SERVICE_NAMES, type Config, type OpsPart } from '../common/config';
import { TASK_QUEUE } from '../workflows/names';
import { grpcServing, httpOk, TemporalProbe } from './probes';
import type { PartSpec, Readiness } from './supervisor';

/** Parts started together, in this order (each group waits for the one before to be ready). */
export const PART_GROUPS = {
  services: ['services'] as string[],
  workers: ['worker', 'relay', 'projector', 'payment-bridge', 'provider'],
  api: ['api'],
} as const;

/** The API's base URL as clients reach it (a wildcard bind address is reached on loopback). */
export function apiBaseUrl(config: Config): string {
  const host = config.api.host === '0.0.0.0' || config.api.host === '::' ? '127.0.0.1' : config.api.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.api.port}`;
}

/** A part's ops server base URL as the supervisor reaches it, or undefined when its port is 0 (none). */
export function opsBaseUrl(config: Config, part: OpsPart): string | undefined {
  const port = config.ops.ports[part];
  if (port === 0) return undefined;
  const host = config.ops.host === '0.0.0.0' || config.ops.host === '::' ? '127.0.0.1' : config.ops.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Ready when the part's ops server says so (/readyz 200); `fallback` when the part has no ops port. */
function opsReadiness(config: Config, part: OpsPart, fallback: Readiness): Readiness {
  const base = opsBaseUrl(config, part);
  if (base === undefined) return fallback;
  return { kind: 'probe', what: `${base}/readyz answers 200`, check: () => httpOk(`${base}/readyz`) };
}

export interface DtxParts {
  parts: PartSpec[];
  /** Releases the probes' connections. */
  close(this: void): Promise<void>;
}

export function dtxParts(config: Config): DtxParts {
  const temporal = new TemporalProbe(config);
  // One process for the four: each costs a Node runtime (~50 MB, its own event loop and timers) for a few ms of work per
  // order; they share nothing but the process (own server, port, pool and database each), and a crash of one restarts
  // all four, which the workflows ride out like any outage (their calls retry).
  const services: PartSpec[] = [
    {
      name: 'services',
      script: 'services/launcher.ts',
      // `npm start` ran the migrations before starting anything
      args: ['--services', SERVICE_NAMES.join(','), '--no-migrate'],
      // the launcher starts its ops server once every gRPC server is bound; /readyz pings their databases
      readiness: opsReadiness(config, 'services', {
        kind: 'probe',
        what: `gRPC health SERVING at ${SERVICE_NAMES.map((s) => config.serviceAddresses[s]).join(', ')}`,
        check: async () =>
          (await Promise.all(SERVICE_NAMES.map((s) => grpcServing(config.serviceAddresses[s])))).every(
            Boolean,
          ),
      }),
      stopStage: 2,
      // the launcher drains in-flight calls for up to 10 s
      stopTimeoutMs: 15_000,
    },
  ];
  const parts: PartSpec[] = [
    ...services,
    {
      name: 'worker',
      script: 'workers/orchestrator/main.ts',
      readiness: opsReadiness(config, 'worker', {
        kind: 'probe',
        what: `polling task queue ${TASK_QUEUE}`,
        check: (pid) => temporal.workerPolls(TASK_QUEUE, pid),
      }),
      stopStage: 1,
      // in-flight activity attempts get 20 s (the worker's shutdownGraceTime)
      stopTimeoutMs: 30_000,
    },
    {
      name: 'relay',
      script: 'workers/relay/main.ts',
      readiness: opsReadiness(config, 'relay', {
        kind: 'log',
        what: 'relay loops started',
        message: /"msg":"outbox relay starting"/,
      }),
      stopStage: 1,
      stopTimeoutMs: 20_000,
    },
    {
      name: 'projector',
      script: 'workers/projector/main.ts',
      readiness: opsReadiness(config, 'projector', {
        kind: 'log',
        what: 'its Kafka consumer started',
        message: /"msg":"timeline projector started"/,
      }),
      stopStage: 1,
      stopTimeoutMs: 20_000,
    },
    // async payments (issue 14): Kafka → Temporal signals, and the stand-in for the external payment provider
    {
      name: 'payment-bridge',
      script: 'workers/payment-bridge/main.ts',
      readiness: {
        kind: 'log',
        what: 'its Kafka consumer started',
        message: /"msg":"payment bridge started"/,
      },
      stopStage: 1,
      stopTimeoutMs: 20_000,
    },
    {
      name: 'provider',
      script: 'provider/main.ts',
      readiness: {
        kind: 'log',
        what: 'its Kafka consumer started',
        message: /"msg":"payment provider simulator started"/,
      },
      stopStage: 1,
      stopTimeoutMs: 10_000,
    },
    {
      name: 'api',
      script: 'api/http/main.ts',
      readiness: {
        kind: 'probe',
        what: `${apiBaseUrl(config)}/readyz answers 200`,
        check: () => httpOk(`${apiBaseUrl(config)}/readyz`, config.api.apiKey),
      },
      stopStage: 0,
      stopTimeoutMs: 10_000,
    },
  ];
  return { parts, close: () => temporal.close() };
}
