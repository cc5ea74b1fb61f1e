/** The SDK's history JSON converter, through cli/history-json.ts (the one module that deep-imports it). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { historyFromJSON, historyToJSON } from '../../../cli/history-json';

const HISTORY_FILE = path.resolve(__dirname, '..', '..', 'histories', 'saga-completed.json');

test('a committed history loads as a History and writes back to the same JSON', () => {
  const json: unknown = JSON.parse(fs.readFileSync(HISTORY_FILE, 'utf8'));
  const history = historyFromJSON(json);
  expect(history.events?.length).toBe((json as { events: unknown[] }).events.length);
  expect(history.events?.[0]?.eventId?.toString()).toBe('1');
  expect(history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name).toBe(
    'placeOrderSaga',
  );
  expect(JSON.parse(historyToJSON(history))).toEqual(json);
});

test('what is not a history is a TypeError', () => {
  expect(() => historyFromJSON({ events: 'none' })).toThrow(TypeError);
  expect(() => historyFromJSON(null)).toThrow(TypeError);
  expect(() => historyFromJSON({ events: [{ eventId: '1' }] })).toThrow(/attributes/);
});
