/**
 * The real dtx parts a UI test needs, in this test process against the real stack: the four services on ephemeral
 * ports (real databases) and an orchestrator worker (real activities) on a unique task queue.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import pino from 'pino';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { loadConfig, SERVICE_NAMES, type Config, type ServiceName } from '../../../../common/config';
import { temporalConnectionOptions } from '../../../../common/temporal';
import { createServiceClients, type ServiceClients } from '../../../../services/rpc/clients';
import { startService, type RunningService } from '../../../../services/runtime';
import { createOrchestrator } from '../../../../workers/orchestrator-wiring';

// the in-process parts log through common/logger: keep the test output readable
process.env.LOG_LEVEL ??= 'warn';

export interface DtxInProcess {
  config: Config;
  taskQueue: string;
  services: Record<ServiceName, RunningService>;
  /** Clients of the in-process services (seeding, reads). */
  clients: ServiceClients;
  temporal: Client;
  stop(): Promise<void>;
}

const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (message: string) => console.error(message),
};

export async function startDtxInProcess(): Promise<DtxInProcess> {
  const base = loadConfig();
  const silent = pino({ level: 'silent' });
  const services = {} as Record<ServiceName, RunningService>;
  for (const name of SERVICE_NAMES) {
    services[name] = await startService(name, { address: '127.0.0.1:0', faults: '', logger: silent });
  }
  const addresses = Object.fromEntries(SERVICE_NAMES.map((s) => [s, services[s].address])) as Record<ServiceName, string>;
  const config: Config = { ...base, serviceAddresses: addresses };
  const taskQueue = `test-ui-${randomUUID()}`;
  const workerClients = createServiceClients(addresses);
  const workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../../../workflows'), logger: quietBundlerLogger });
  const orchestrator = await createOrchestrator({
    config,
    clients: workerClients,
    taskQueue,
    workerOptions: { workflowBundle, workflowsPath: undefined },
  });
  const running = orchestrator.worker.run();
  const connection = await Connection.connect(temporalConnectionOptions(config));
  const clients = createServiceClients(addresses);
  return {
    config,
    taskQueue,
    services,
    clients,
    temporal: new Client({ connection, namespace: config.temporal.namespace }),
    async stop() {
      orchestrator.worker.shutdown();
      await running;
      await orchestrator.close();
      workerClients.close();
      clients.close();
      await connection.close();
      await Promise.all(SERVICE_NAMES.map((s) => services[s].stop(500)));
    },
  };
}

/** A unique id for this test run. */
export function uid(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** Polls `probe` until it returns a value other than undefined (fails after `timeoutMs` with the last error). */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > until) throw new Error(`${what}: not reached in ${timeoutMs} ms${last ? ` (last error: ${last instanceof Error ? last.message : JSON.stringify(last)})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
