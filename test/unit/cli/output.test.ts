import { PassThrough } from 'node:stream';
import { createPrinter, formatKeyValues, formatTable } from '../../../cli/output';

describe('formatTable', () => {
  test('pads columns to their widest cell, headers upper-cased, no trailing spaces', () => {
    const rows = [
      { id: 'a', status: 'COMPLETED', n: 1 },
      { id: 'longer-id', status: 'RUNNING', n: 12 },
    ];
    const text = formatTable(rows, [
      { header: 'id', value: (r) => r.id },
      { header: 'status', value: (r) => r.status },
      { header: 'n', value: (r) => r.n },
    ]);
    expect(text.split('\n')).toEqual([
      'ID         STATUS     N',
      'a          COMPLETED  1',
      'longer-id  RUNNING    12',
    ]);
  });
  test('empty cells for missing values; multi-line values stay on one line', () => {
    const text = formatTable(
      [{ a: undefined, b: 'x\n  y' }],
      [
        { header: 'a', value: (r) => r.a },
        { header: 'b', value: (r) => r.b },
      ],
    );
    expect(text.split('\n')[1]).toBe('   x y');
  });
});

describe('formatKeyValues', () => {
  test('aligned keys, absent values left out', () => {
    expect(
      formatKeyValues([
        ['order', 'o-1'],
        ['reason', undefined],
        ['temporal ui', 'http://ui'],
      ]),
    ).toBe('order        o-1\ntemporal ui  http://ui');
  });
});

describe('printer', () => {
  function capture() {
    const out = new PassThrough();
    const err = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.WriteStream;
    let stdout = '';
    let stderr = '';
    out.on('data', (c: Buffer) => (stdout += c.toString()));
    (err as unknown as PassThrough).on('data', (c: Buffer) => (stderr += c.toString()));
    return { out, err, text: () => ({ stdout, stderr }) };
  }
  test('--json prints JSON and no notes; people get the text and notes on stderr', () => {
    const json = capture();
    const p1 = createPrinter(true, json.out, json.err);
    p1.result({ a: 1 }, () => 'text');
    p1.note('note');
    expect(JSON.parse(json.text().stdout)).toEqual({ a: 1 });
    expect(json.text().stderr).toBe('');

    const human = capture();
    const p2 = createPrinter(false, human.out, human.err);
    p2.result({ a: 1 }, () => 'text');
    p2.note('note');
    expect(human.text()).toEqual({ stdout: 'text\n', stderr: 'note\n' });
  });
  test('no spinner when stderr is not a terminal', async () => {
    const io = capture();
    const printer = createPrinter(false, io.out, io.err);
    await printer.progress('working', () => new Promise((resolve) => setTimeout(resolve, 400)));
    expect(io.text().stderr).toBe('');
  });
  test('a spinner on a terminal, erased afterwards', async () => {
    const io = capture();
    (io.err as { isTTY: boolean }).isTTY = true;
    const printer = createPrinter(false, io.out, io.err);
    const value = await printer.progress(
      'working',
      () => new Promise((resolve) => setTimeout(() => resolve(42), 500)),
    );
    expect(value).toBe(42);
    expect(io.text().stderr).toContain('working');
    expect(io.text().stderr.endsWith('\r\x1b[2K')).toBe(true);
  });
});
