/** `dtx stack status`'s table (the stack library's statuses, no server needed). */
import { renderStatus } from '../../../cli/commands/stack';

test('one line per component: pid or -, answering yes/no, the state with its detail; crashed names its log', () => {
  const lines = renderStatus([
    {
      name: 'postgres',
      address: '127.0.0.1:5433',
      state: 'running',
      pid: 4242,
      answering: true,
      logFile: '/d/logs/postgres.log',
    },
    {
      name: 'kafka',
      address: '127.0.0.1:9092',
      state: 'crashed',
      pid: 17,
      answering: false,
      logFile: '/d/logs/kafka.log',
      detail: 'pid 17 is no longer running',
    },
    {
      name: 'temporal',
      address: '127.0.0.1:7233',
      state: 'foreign',
      answering: true,
      logFile: '/d/logs/temporal.log',
      detail: 'not started by this stack',
    },
  ]).split('\n');
  expect(lines).toEqual([
    'COMPONENT  PID   ADDRESS         ANSWERING  STATE',
    'postgres   4242  127.0.0.1:5433  yes        running',
    'kafka      17    127.0.0.1:9092  no         CRASHED (pid 17 is no longer running); log /d/logs/kafka.log; `dtx stack up` restarts it',
    'temporal   -     127.0.0.1:7233  yes        foreign (not started by this stack)',
  ]);
});
