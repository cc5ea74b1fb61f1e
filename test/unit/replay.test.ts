/**
 * Replay safety: every committed history (test/histories, `npm run histories:record`) replays against the current
 * workflow code without non-determinism. No server needed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { historyFromJSON } from '../../cli/history-json';
import { Worker } from '@temporalio/worker';
import { LOCAL_ACTIVITIES_PATCH } from '../../workflows/order/activities';

jest.setTimeout(120_000);

const HISTORIES = path.resolve(__dirname, '..', 'histories');

/** A patch marker as the history JSON holds it (payload data in base64). */
interface PatchMarker {
  markerName?: string;
  details?: Record<string, { payloads?: { data?: string }[] }>;
}
const files = fs
  .readdirSync(HISTORIES)
  .filter((f) => f.endsWith('.json'))
  .sort();

test('the committed histories cover both modes', () => {
  expect(files.filter((f) => f.startsWith('saga-')).length).toBeGreaterThanOrEqual(10);
  expect(files.filter((f) => f.startsWith('tcc-')).length).toBeGreaterThanOrEqual(8);
});

test('both activity kinds are covered: histories from before the local-activities patch and after it', () => {
  const patchOf = (event: { markerRecordedEventAttributes?: PatchMarker }) => {
    const marker = event.markerRecordedEventAttributes;
    const data =
      marker?.markerName === 'core_patch' ? marker.details?.['patch-data']?.payloads?.[0]?.data : undefined;
    return data ? (JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as { id: string }).id : undefined;
  };
  const patched = files.filter((f) => {
    const history = JSON.parse(fs.readFileSync(path.join(HISTORIES, f), 'utf8')) as { events: object[] };
    return history.events.some((e) => patchOf(e) === LOCAL_ACTIVITIES_PATCH);
  });
  expect(patched.length).toBeGreaterThanOrEqual(18);
  expect(files.length - patched.length).toBeGreaterThanOrEqual(18);
});

test('every committed history replays against the current workflow code', async () => {
  const histories = files.map((file) => ({
    workflowId: file,
    history: historyFromJSON(JSON.parse(fs.readFileSync(path.join(HISTORIES, file), 'utf8'))),
  }));
  const failures: string[] = [];
  const replayed: string[] = [];
  for await (const result of Worker.runReplayHistories(
    {
      workflowsPath: require.resolve('../../workflows'),
      // as the worker runs them: with the transaction-metrics interceptor (workers/orchestrator/wiring.ts)
      interceptors: { workflowModules: [require.resolve('../../workflows/metrics')] },
    },
    histories,
  )) {
    replayed.push(result.workflowId);
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  expect(failures).toEqual([]);
  expect(replayed.sort()).toEqual(files);
});
