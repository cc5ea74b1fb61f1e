/**
 * The orchestrator worker: runs placeOrderSaga / placeOrderTcc and their activities on task queue `dtx-orders`.
 * Config from env (common/config.ts). SIGINT/SIGTERM: stop polling, let in-flight activity attempts finish
 * (shutdownGraceTime), then exit.
 */
import { loadConfig } from '../../common/config';
import { createLogger } from '../../common/logger';
import { createOrchestrator } from './wiring';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger('orchestrator');
  const orchestrator = await createOrchestrator({ config });
  const { worker } = orchestrator;
  log.info(
    {
      taskQueue: worker.options.taskQueue,
      temporal: config.temporal.address,
      namespace: config.temporal.namespace,
      services: config.serviceAddresses,
    },
    'orchestrator worker started',
  );
  try {
    await worker.run(); // resolves after a shutdown signal, once in-flight tasks are done
  } finally {
    await orchestrator.close();
    log.info('orchestrator worker stopped');
  }
}

main().catch((err: unknown) => {
  createLogger('orchestrator').fatal({ err }, 'orchestrator worker failed');
  process.exit(1);
});
