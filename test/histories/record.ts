/**
 * `npm run histories:record`: runs every workflow scenario (test/integration/workflows/support/scenarios.ts) on the
 * Temporal server of the config, with FAKE activities on a private task queue, and saves each history as JSON under
 * test/histories/ for the replay test. Regenerate only on a deliberate workflow change, and say so in the commit.
 * The `*.remote-activities.json` files were recorded before the local-activities patch (workflows/order/activities.ts)
 * and are kept: they prove that executions started before it still replay on their own path.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '../../cli/history-json';
import { NativeConnection, Worker } from '@temporalio/worker';
import { loadConfig } from '../../common/config';
import { temporalConnectionOptions } from '../../common/temporal';
import { WORKFLOW_TYPES } from '../../workflows/names';
import { workflowStartOptions } from '../../workflows/start-options';
import { FakeServices, Gate } from '../integration/workflows/support/fake-activities';
import { SCENARIOS } from '../integration/workflows/support/scenarios';

const OUT_DIR = __dirname;
const FAST = { initialIntervalMs: 20, maximumIntervalMs: 100, forwardMaximumAttempts: 3 };

async function main(): Promise<void> {
  const config = loadConfig();
  const options = temporalConnectionOptions(config);
  const connection = await Connection.connect(options);
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const nativeConnection = await NativeConnection.connect(options);
  const fakes = new FakeServices();
  const taskQueue = `histories-${randomUUID()}`;
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace: config.temporal.namespace,
    taskQueue,
    workflowsPath: require.resolve('../../workflows'),
    activities: fakes.activities,
  });
  fs.mkdirSync(OUT_DIR, { recursive: true });

  await worker.runUntil(async () => {
    for (const scenario of SCENARIOS) {
      const run = randomUUID().slice(0, 8);
      const input = {
        orderId: `history-${scenario.mode}-${scenario.name}-${run}`,
        customerId: 'history-customer',
        items: [
          { sku: 'sku-a', quantity: 2 },
          { sku: 'sku-b', quantity: 1 },
        ],
        couponCode: 'SAVE5',
        retry: FAST,
        ...scenario.input,
      };
      const gate = new Gate();
      const start = workflowStartOptions(scenario.mode, input, { taskQueue });
      fakes.script(start.workflowId, scenario.script?.(gate) ?? {});
      const handle = await client.workflow.start(WORKFLOW_TYPES[scenario.mode], start);
      const driving = scenario.drive?.(handle, gate);
      const outcome = await handle.result().then(
        (result) => JSON.stringify(result),
        (err: unknown) => `failed: ${err instanceof Error ? err.message : String(err)}`,
      );
      gate.open(); // release a call still parked at the gate (e.g. the try that outlived its deadline)
      await driving;
      const file = path.join(OUT_DIR, `${scenario.mode}-${scenario.name}.json`);
      fs.writeFileSync(file, `${historyToJSON(await handle.fetchHistory())}\n`);
      console.log(`${path.relative(process.cwd(), file)}  ${outcome}`);
    }
  });
  await nativeConnection.close();
  await connection.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
