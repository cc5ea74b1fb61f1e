import { renderTable, tableLines } from '../../common/table';

test('columns two spaces apart, padded to the widest cell (header included), no trailing blanks', () => {
  expect(
    tableLines(
      [
        ['a', 'COMPLETED', '1'],
        ['longer-id', 'RUNNING', ''],
      ],
      { header: ['ID', 'STATUS', 'N'] },
    ),
  ).toEqual(['ID         STATUS     N', 'a          COMPLETED  1', 'longer-id  RUNNING']);
});

test('a rule of dashes under the header, right-aligned columns, an indent', () => {
  expect(
    renderTable(
      [
        ['saga', '12.5'],
        ['tcc', '3.0'],
      ],
      { header: ['mode', 'orders/s'], rule: true, align: ['left', 'right'], indent: '  ' },
    ),
  ).toBe(['  mode  orders/s', '  ----  --------', '  saga      12.5', '  tcc        3.0'].join('\n'));
});

test('without a header: aligned key/value lines; short rows get empty cells; no rows, no lines', () => {
  expect(
    tableLines([['API', 'http://127.0.0.1:3000'], ['Temporal UI', 'http://127.0.0.1:8233'], ['note']]),
  ).toEqual(['API          http://127.0.0.1:3000', 'Temporal UI  http://127.0.0.1:8233', 'note']);
  expect(tableLines([])).toEqual([]);
  expect(tableLines([], { header: ['a', 'b'] })).toEqual(['a  b']);
});
