import { CommanderError } from 'commander';
import { buildProgram } from '../../../cli/main';
import { exitCodeOf, EXIT } from '../../../cli/exit-codes';
import { DtxError } from '../../../api/operations/errors';

/** Parses without running any action: every command's action is replaced by a recorder. */
function parse(args: string[]) {
  const program = buildProgram();
  const calls: Array<{ command: string; args: unknown[] }> = [];
  const silence = (command: ReturnType<typeof buildProgram>) => {
    command.configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
    command.commands.forEach(silence);
  };
  silence(program);
  const record = (command: ReturnType<typeof buildProgram>, prefix: string) => {
    for (const sub of command.commands) {
      const name = `${prefix}${sub.name()}`;
      if (sub.commands.length === 0)
        sub.action((...a: unknown[]) => void calls.push({ command: name, args: a.slice(0, -1) }));
      record(sub, `${name} `);
    }
  };
  record(program, '');
  program.parse(args, { from: 'user' });
  return calls;
}

test('order place collects items, defaults the mode, parses --wait and --timeout', () => {
  const [call] = parse([
    'order',
    'place',
    '--customer',
    'alice',
    '--item',
    'A:1',
    '--item',
    'B:2',
    '--wait',
    '--timeout',
    '5',
  ]);
  expect(call.command).toBe('order place');
  expect(call.args[0]).toEqual({
    customer: 'alice',
    item: [
      { sku: 'A', quantity: 1 },
      { sku: 'B', quantity: 2 },
    ],
    mode: 'saga',
    wait: true,
    timeout: 5,
  });
});

test('tx list filters, replay sources, outbox redrive --all', () => {
  expect(
    parse(['tx', 'list', '--status', 'FAILED', '--mode', 'tcc', '--customer', 'c'])[0].args[0],
  ).toMatchObject({ status: 'FAILED', mode: 'tcc', customer: 'c', limit: 20 });
  expect(parse(['replay', '--query', "TxStatus = 'FAILED'"])[0].args[1]).toMatchObject({
    query: "TxStatus = 'FAILED'",
    limit: 100,
  });
  expect(parse(['replay', 'order-1', '--workflows', 'x/y.ts'])[0].args).toEqual([
    'order-1',
    expect.objectContaining({ workflows: 'x/y.ts' }),
  ]);
  expect(parse(['outbox', 'dlq', 'redrive', '--all'])[0].args).toEqual([undefined, { all: true }]);
});

test('stack commands take components; logs takes -f and -n (default 50)', () => {
  expect(parse(['stack', 'up'])[0]).toEqual({ command: 'stack up', args: [[], {}] });
  expect(parse(['stack', 'status', 'kafka', 'postgres'])[0].args[0]).toEqual(['kafka', 'postgres']);
  expect(parse(['stack', 'down', 'temporal'])[0].args[0]).toEqual(['temporal']);
  expect(parse(['stack', 'logs', 'temporal', '-f', '-n', '0'])[0].args).toEqual([
    ['temporal'],
    { follow: true, lines: 0 },
  ]);
  expect(parse(['stack', 'logs'])[0].args).toEqual([[], { lines: 50 }]);
});

test.each([
  [['stack', 'up', 'redis'], 'commander.invalidArgument'],
  [['stack', 'logs', '-n', 'ten'], 'commander.invalidArgument'],
  [['stack', 'status', '-f'], 'commander.unknownOption'],
  [['order', 'place', '--item', 'A:1'], 'commander.missingMandatoryOptionValue'],
  [['order', 'place', '--customer', 'c', '--item', 'A:0'], 'commander.invalidArgument'],
  [['tx', 'list', '--mode', 'xa'], 'commander.invalidArgument'],
  [['tx', 'show'], 'commander.missingArgument'],
  [['frobnicate'], 'commander.unknownCommand'],
])('%j is a usage error', (args, code) => {
  expect(() => parse(args)).toThrow(expect.objectContaining({ code }) as CommanderError);
});

test('exit codes follow the error class', () => {
  expect(exitCodeOf(new DtxError('BAD_REQUEST', 'x'))).toBe(EXIT.USAGE);
  expect(exitCodeOf(new DtxError('NOT_FOUND', 'x'))).toBe(EXIT.NOT_FOUND);
  expect(exitCodeOf(new DtxError('CONFLICT', 'x'))).toBe(EXIT.FAILED);
  expect(exitCodeOf(new DtxError('UNAVAILABLE', 'x'))).toBe(EXIT.UNAVAILABLE);
  expect(
    exitCodeOf(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5433'), { code: 'ECONNREFUSED' })),
  ).toBe(EXIT.UNAVAILABLE);
  expect(
    exitCodeOf(
      new Error('wrapped', {
        cause: Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 }),
      }),
    ),
  ).toBe(EXIT.UNAVAILABLE);
  expect(exitCodeOf(new Error('a bug'))).toBe(EXIT.FAILED);
});
