/**
 * Aligned plain-text tables: the one renderer behind the dtx CLI's tables and key/value lists, `dtx stack status`,
 * the demo's outcome table, the benches' result tables and the `npm start` banner's addresses.
 */

export type Align = 'left' | 'right';

export interface TableOptions {
  /** The first line; its cells count for the column widths too. */
  header?: readonly string[];
  /** A line of dashes under the header, each as wide as its column. */
  rule?: boolean;
  /** Per column (default left): right suits numbers. */
  align?: readonly Align[];
  /** Put before every line, e.g. '  ' inside an indented block. */
  indent?: string;
}

/** The table's lines: columns two spaces apart, each padded to its widest cell, no trailing blanks. */
export function tableLines(rows: ReadonlyArray<readonly string[]>, options: TableOptions = {}): string[] {
  const { header, rule = false, align = [], indent = '' } = options;
  const all = header ? [header, ...rows] : rows;
  const columnCount = Math.max(0, ...all.map((row) => row.length));
  const widths = Array.from({ length: columnCount }, (_, column) =>
    Math.max(0, ...all.map((row) => (row[column] ?? '').length)),
  );
  const line = (row: readonly string[]) =>
    `${indent}${widths
      .map((width, column) => {
        const text = row[column] ?? '';
        return align[column] === 'right' ? text.padStart(width) : text.padEnd(width);
      })
      .join('  ')}`.trimEnd();
  return [
    ...(header ? [line(header)] : []),
    ...(header && rule ? [line(widths.map((width) => '-'.repeat(width)))] : []),
    ...rows.map(line),
  ];
}

/** tableLines joined into one text. */
export function renderTable(rows: ReadonlyArray<readonly string[]>, options: TableOptions = {}): string {
  return tableLines(rows, options).join('\n');
}
