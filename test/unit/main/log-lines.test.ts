/** The supervisor's output formatting: aligned prefixes, compact pino lines, line splitting. */
import { compactLine, LineSplitter, Prefixer } from '../../../start/log-lines';

const plain = { colour: false, raw: false };

test('prefixes are aligned to the longest part name', () => {
  const prefixer = new Prefixer(['main', 'inventory', 'api'], plain);
  expect(prefixer.format('api', 'hello')).toBe('[api      ] hello');
  expect(prefixer.format('inventory', 'hello')).toBe('[inventory] hello');
});

test('colour is added only when asked for', () => {
  const coloured = new Prefixer(['a'], { colour: true, raw: false });
  const prefix = coloured.prefix('a');
  expect(prefix.startsWith('\u001b[')).toBe(true);
  expect(prefix.endsWith('[a]\u001b[0m ')).toBe(true);
  expect(new Prefixer(['a'], plain).prefix('a')).toBe('[a] ');
});

test('a pino line shows time, level, message, tx_id and the error message', () => {
  const time = new Date(2030, 0, 2, 3, 4, 5, 6).getTime();
  const line = JSON.stringify({
    level: 50,
    time,
    pid: 1,
    msg: 'call failed',
    tx_id: 'order-1',
    method: 'Charge',
    err: { type: 'Error', message: 'boom', stack: '...' },
  });
  expect(compactLine(line, false)).toBe(
    '03:04:05.006 ERROR call failed tx_id=order-1 method=Charge err="boom"',
  );
});

test('Fastify request lines show the method, URL and status', () => {
  const time = new Date(2030, 0, 2, 3, 4, 5, 0).getTime();
  expect(
    compactLine(
      JSON.stringify({ level: 30, time, msg: 'incoming request', req: { method: 'GET', url: '/readyz' } }),
      false,
    ),
  ).toBe('03:04:05.000 INFO  incoming request GET /readyz');
  expect(
    compactLine(
      JSON.stringify({
        level: 30,
        time,
        msg: 'request completed',
        res: { statusCode: 200 },
        responseTime: 12.4,
      }),
      false,
    ),
  ).toBe('03:04:05.000 INFO  request completed 200 (12 ms)');
});

test('other lines (plain text, JSON that is not pino) are shown unchanged; raw mode keeps JSON', () => {
  expect(compactLine('webpack compiled successfully', false)).toBe('webpack compiled successfully');
  expect(compactLine('{"not":"pino"}', false)).toBe('{"not":"pino"}');
  expect(compactLine('{broken', false)).toBe('{broken');
  const json = JSON.stringify({ level: 30, msg: 'x' });
  expect(new Prefixer(['p'], { colour: false, raw: true }).format('p', json)).toBe(`[p] ${json}`);
});

test('the splitter returns complete lines and keeps a partial one for later', () => {
  const splitter = new LineSplitter();
  expect(splitter.push('one\ntw')).toEqual(['one']);
  expect(splitter.push('o\r\nthree')).toEqual(['two']);
  expect(splitter.flush()).toEqual(['three']);
  expect(splitter.flush()).toEqual([]);
});
