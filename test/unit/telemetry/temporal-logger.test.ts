/** common/temporal-logger.ts: the Temporal SDK's log calls become pino JSON lines at the matching level. */
import { Writable } from 'node:stream';
import pino from 'pino';
import { logFields, pinoTemporalLogger, temporalLogLevel } from '../../../common/temporal-logger';

function capture(level: string): { lines: Record<string, unknown>[]; log: pino.Logger } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, log: pino({ name: 'temporal', level, base: { pid: 1 } }, stream) };
}

test('LOG_LEVEL maps to the SDK level (nothing above ERROR in the SDK)', () => {
  expect(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'].map(temporalLogLevel)).toEqual([
    'TRACE',
    'DEBUG',
    'INFO',
    'WARN',
    'ERROR',
    'ERROR',
    'ERROR',
  ]);
});

test('SDK and core lines are pino lines with their metadata as fields, filtered by the pino level', () => {
  const { lines, log } = capture('info');
  const logger = pinoTemporalLogger(log);
  logger.debug('dropped at info');
  logger.info('Worker state changed', { sdkComponent: 'worker', taskQueue: 'q', state: 'RUNNING' });
  logger.log('WARN', 'core said', {
    sdkComponent: 'core',
    [Symbol.for('log_timestamp')]: 123n,
    attempt: 5n,
  });
  const err = new Error('boom');
  logger.error('Workflow failed', { error: err, workflowId: 'order-1' });
  expect(lines.map(({ time: _time, ...rest }) => rest)).toEqual([
    {
      level: 30,
      pid: 1,
      name: 'temporal',
      sdkComponent: 'worker',
      taskQueue: 'q',
      state: 'RUNNING',
      msg: 'Worker state changed',
    },
    { level: 40, pid: 1, name: 'temporal', sdkComponent: 'core', attempt: '5', msg: 'core said' },
    {
      level: 50,
      pid: 1,
      name: 'temporal',
      workflowId: 'order-1',
      err: expect.objectContaining({ type: 'Error', message: 'boom' }) as unknown,
      msg: 'Workflow failed',
    },
  ]);
});

test('logFields drops symbol keys and undefined values', () => {
  expect(logFields({ a: 1, b: undefined, [Symbol('x')]: 2 })).toEqual({ a: 1 });
  expect(logFields(undefined)).toEqual({});
});
