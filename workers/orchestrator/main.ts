/**
 * The orchestrator worker: runs placeOrderSaga / placeOrderTcc and their activities on task queue `dtx-orders`.
 * Config from env (common/config.ts). SIGINT/SIGTERM/SIGHUP: stop polling, let in-flight activity attempts finish
 * (shutdownGraceTime), then exit.
 */
import { loadConfig } from '../../common/config';
import { runProcess } from '../../common/lifecycle';
import { createOrchestrator, SHUTDOWN_GRACE_MS } from './wiring';

runProcess(
  'orchestrator',
  async ({ log, stop, fail }) => {
    const config = loadConfig();
    const { worker, close } = await createOrchestrator({ config });
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
      },
      'orchestrator worker started',
    );
    return async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await close();
    };
  },
  { graceMs: SHUTDOWN_GRACE_MS + 5_000 },
);
