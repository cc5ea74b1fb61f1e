import { groupOf } from '../../../tools/bench/proc-cpu';

const node = (script: string, ...args: string[]) => [
  '/usr/bin/node',
  '--enable-source-maps',
  script,
  ...args,
];

test('every part npm start runs is accounted, compiled or through tsx', () => {
  expect(groupOf('node', node('dist/workers/orchestrator/main.js'))).toBe('worker');
  expect(groupOf('node', node('dist/workers/payment-bridge/main.js'))).toBe('bridge');
  expect(groupOf('node', node('dist/provider/main.js'))).toBe('provider');
  expect(groupOf('node', node('dist/start/main.js'))).toBe('supervisor');
  expect(groupOf('node', ['/usr/bin/node', '--import', 'tsx', 'provider/main.ts'])).toBe('provider');
  expect(groupOf('node', node('dist/services/launcher.js', '--services', 'order,inventory'))).toBe(
    'services',
  );
  expect(groupOf('node', node('dist/services/launcher.js', '--services', 'payment'))).toBe('svc:payment');
});

test('another Temporal dev server and unrelated node processes are not accounted', () => {
  const temporal = ['/x/temporal', 'server', 'start-dev', '--port', '7299'];
  expect(groupOf('temporal', temporal, 7233)).toBeUndefined();
  expect(groupOf('temporal', temporal, 7299)).toBe('temporal');
  expect(groupOf('node', node('some/other/tool.js'))).toBeUndefined();
});
