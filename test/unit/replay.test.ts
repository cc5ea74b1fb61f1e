/**
 * Replay safety: every committed history (test/histories, `npm run histories:record`) replays against the current
 * workflow code without non-determinism. No server needed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { historyFromJSON } from '../../cli/history-json';
import { Worker } from '@temporalio/worker';

jest.setTimeout(120_000);

const HISTORIES = path.resolve(__dirname, '..', 'histories');
const files = fs
  .readdirSync(HISTORIES)
  .filter((f) => f.endsWith('.json'))
  .sort();

test('the committed histories cover both modes', () => {
  expect(files.filter((f) => f.startsWith('saga-')).length).toBeGreaterThanOrEqual(10);
  expect(files.filter((f) => f.startsWith('tcc-')).length).toBeGreaterThanOrEqual(8);
});

test('every committed history replays against the current workflow code', async () => {
  const histories = files.map((file) => ({
    workflowId: file,
    history: historyFromJSON(JSON.parse(fs.readFileSync(path.join(HISTORIES, file), 'utf8'))),
  }));
  const failures: string[] = [];
  const replayed: string[] = [];
  for await (const result of Worker.runReplayHistories(
    { workflowsPath: require.resolve('../../workflows') },
    histories,
  )) {
    replayed.push(result.workflowId);
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  expect(failures).toEqual([]);
  expect(replayed.sort()).toEqual(files);
});
