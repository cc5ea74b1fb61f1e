/**
 * A worker to be killed mid-task (saga.fake.test.ts): `node --import tsx lost-task-worker.ts <taskQueue> <workflowId>
 * <blockedActivity>` runs the order workflows with the fake activities on that task queue; the given activity of that
 * workflow blocks forever. Once it is entered, the worker prints `BLOCKED <calls so far as JSON>` and waits for its
 * SIGKILL, so the workflow task that ran those local activities is never completed.
 */
import { FakeServices, Gate, block, type ActivityName } from './fake-activities';
import { startTestWorker } from './temporal';

async function main(): Promise<void> {
  const [taskQueue, workflowId, blocked] = process.argv.slice(2);
  const fakes = new FakeServices();
  const gate = new Gate();
  fakes.script(workflowId, { [blocked as ActivityName]: [block(gate)] });
  await startTestWorker({ activities: fakes.activities, taskQueue });
  console.log('READY');
  await gate.entered;
  console.log(`BLOCKED ${JSON.stringify(fakes.calls(workflowId))}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
