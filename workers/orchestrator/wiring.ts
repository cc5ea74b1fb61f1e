/** The orchestrator worker's wiring, in one place: used by workers/orchestrator/main.ts, tests and scripts. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityOptions } from '../../activities';
import { ServiceBreakers } from '../../activities/breakers';
import type { Config } from '../../common/config';
import { createLogger, type Logger } from '../../common/logger';
import { temporalConnectionOptions } from '../../common/temporal';
import { createServiceClients, type ServiceClients } from '../../services/rpc/clients';
import { TASK_QUEUE } from '../../workflows/names';
import { workerTracing } from './tracing';

/** Workflow interceptor modules of every dtx worker: the transaction metrics (workflows/metrics.ts). */
export const WORKFLOW_INTERCEPTOR_MODULES = [require.resolve('../../workflows/metrics')];

/**
 * The workflow bundle `npm run build` made (tools/build.js: workflows/ with WORKFLOW_INTERCEPTOR_MODULES), when this
 * runs compiled from dist/: loading it takes milliseconds where bundling at start runs webpack for seconds.
 */
export function prebuiltWorkflowBundle(): { codePath: string } | undefined {
  if (!__filename.endsWith('.js')) return undefined;
  const codePath = path.resolve(__dirname, '..', '..', 'workflow-bundle.js');
  return fs.existsSync(codePath) ? { codePath } : undefined;
}

/** In-flight activity attempts get this long to finish after a shutdown signal (above their 15 s startToClose). */
export const SHUTDOWN_GRACE_MS = 20_000;

export interface OrchestratorOptions {
  config: Config;
  /** Defaults to a NativeConnection from the config (closed by `close()`). */
  connection?: NativeConnection;
  /** Defaults to clients at config.serviceAddresses (closed by `close()`). */
  clients?: ServiceClients;
  /** Defaults to `dtx-orders`; tests pass their own. */
  taskQueue?: string;
  /** Per-call gRPC deadline, hedge, breakers (default: from config.calls and config.breaker). */
  activityOptions?: Partial<ActivityOptions>;
  /** Where the breakers log their transitions (default: the orchestrator's logger). */
  log?: Logger;
  /** Extra worker options (e.g. a bundle for speed in tests). */
  workerOptions?: Partial<WorkerOptions>;
}

export interface Orchestrator {
  worker: Worker;
  /** The circuit breaker per service of this worker's calls. */
  breakers: ServiceBreakers;
  /** Closes what this wiring opened (call after `worker.run()` returned). */
  close(this: void): Promise<void>;
}

/** Creates the worker: both order workflows, the order activities over the gRPC clients, limits from config. */
export async function createOrchestrator(options: OrchestratorOptions): Promise<Orchestrator> {
  const { config } = options;
  const connection =
    options.connection ?? (await NativeConnection.connect(temporalConnectionOptions(config)));
  const clients = options.clients ?? createServiceClients(config.serviceAddresses);
  const breakers =
    options.activityOptions?.breakers ??
    new ServiceBreakers(
      config.breaker,
      options.log ?? createLogger('orchestrator', { component: 'breakers' }),
    );
  const activityOptions: ActivityOptions = {
    callDeadlineMs: config.calls.deadlineMs,
    hedgeAfterMs: config.calls.hedgeAfterMs,
    ...options.activityOptions,
    breakers,
  };
  // tracing on: its interceptors and workflow-span sink; the workflow code is bundled at start then (a prebuilt
  // bundle has only WORKFLOW_INTERCEPTOR_MODULES, so tracing costs nothing when off)
  const tracing = workerTracing();
  // a bundle passed in (tests) or prebuilt by `npm run build` has the interceptor modules built in
  const bundle = tracing ? undefined : (options.workerOptions?.workflowBundle ?? prebuiltWorkflowBundle());
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: options.taskQueue ?? TASK_QUEUE,
    ...(bundle ? { workflowBundle: bundle } : { workflowsPath: require.resolve('../../workflows') }),
    activities: createActivities(clients, activityOptions),
    maxConcurrentActivityTaskExecutions: config.worker.maxConcurrentActivities,
    maxConcurrentWorkflowTaskExecutions: config.worker.maxConcurrentWorkflowTasks,
    shutdownGraceTime: SHUTDOWN_GRACE_MS,
    ...options.workerOptions,
    // bundleWorkflowCode's workflowInterceptorModules put them into a bundle
    ...(bundle
      ? {}
      : {
          interceptors: {
            ...options.workerOptions?.interceptors,
            workflowModules: [
              ...WORKFLOW_INTERCEPTOR_MODULES,
              ...(tracing?.workflowModules ?? []),
              ...(options.workerOptions?.interceptors?.workflowModules ?? []),
            ],
            activity: [
              ...(tracing?.activity ?? []),
              ...(options.workerOptions?.interceptors?.activity ?? []),
            ],
          },
        }),
    ...(tracing ? { sinks: { ...options.workerOptions?.sinks, ...tracing.sinks } } : {}),
  });
  return {
    worker,
    breakers,
    async close() {
      if (!options.clients) clients.close();
      if (!options.connection) await connection.close();
    },
  };
}
