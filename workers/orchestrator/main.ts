/**
 * The orchestrator worker: runs placeOrderSaga / placeOrderTcc and their activities on task queue `dtx-orders`.
 * Config from env (common/config.ts). SIGINT/SIGTERM/SIGHUP: stop polling, let in-flight activity attempts finish
 * (shutdownGraceTime), then exit. Its ops server (DTX_WORKER_OPS_PORT): /metrics (prom-client's registry and the
 * Temporal SDK core's metrics), /healthz, /readyz (the worker polls: state RUNNING).
 */
// first: tracing is set up before anything it instruments loads
import './telemetry';
import { loadConfig } from '../../common/config';
import { runProcess } from '../../common/lifecycle';
import { startPartOpsServer } from '../../common/ops-server';
import { installWorkerRuntime } from './runtime';
import { createOrchestrator, SHUTDOWN_GRACE_MS, type Orchestrator } from './wiring';

runProcess(
  'orchestrator',
  async ({ log, stop, fail }) => {
    const config = loadConfig();
    // before any connection: the SDK's logs through pino, core's metrics on a private port
    const runtime = await installWorkerRuntime(config);
    // the ops port first: a port already taken fails the start before anything connects
    const started: { orchestrator?: Orchestrator } = {};
    const ops = await startPartOpsServer(config, 'worker', {
      log,
      checks: { temporalPoll: () => Promise.resolve(started.orchestrator?.worker.getState() === 'RUNNING') },
      extraMetrics: runtime.scrapeCore,
    });
    started.orchestrator = await createOrchestrator({ config }).catch(async (err: unknown) => {
      await ops?.close();
      throw err;
    });
    const { worker, close } = started.orchestrator;
    // resolves after a shutdown (ours, or the SDK's on its own signals) once in-flight tasks are done
    const running = worker.run();
    void running.then(
      () => stop('worker stopped'),
      (err: unknown) => fail(err, 'orchestrator worker failed'),
    );
    log.info(
      {
        taskQueue: worker.options.taskQueue,
        temporal: config.temporal.address,
        namespace: config.temporal.namespace,
        services: config.serviceAddresses,
        ops: ops?.url,
      },
      'orchestrator worker started',
    );
    return async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await ops?.close();
      await close();
    };
  },
  { graceMs: SHUTDOWN_GRACE_MS + 5_000 },
);
