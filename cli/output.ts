/** What the CLI prints: tables and key/value lists for people, JSON for scripts, a spinner on a TTY's stderr. */
import { renderTable } from '../common/table';

export interface Column<Row> {
  header: string;
  value: (row: Row) => unknown;
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** A plain-text table: a header line (upper-cased), then one line per row (common/table's layout). */
export function formatTable<Row>(rows: readonly Row[], columns: ReadonlyArray<Column<Row>>): string {
  return renderTable(
    rows.map((row) => columns.map((column) => cell(column.value(row)).replace(/\s*\n\s*/g, ' '))),
    { header: columns.map((column) => column.header.toUpperCase()) },
  );
}

/** `key  value` lines, keys padded; undefined values are left out. */
export function formatKeyValues(entries: ReadonlyArray<[string, unknown]>): string {
  const shown = entries.filter(([, value]) => value !== undefined && value !== null && value !== '');
  return renderTable(shown.map(([key, value]) => [key, cell(value)]));
}

export interface Printer {
  json: boolean;
  /** Writes a result: JSON when --json, else the text. */
  result(value: unknown, text: () => string): void;
  /** A note for people on stderr (never in --json output). */
  note(text: string): void;
  /** Runs `task` with a spinner on stderr when it is a TTY. */
  progress<T>(label: string, task: () => Promise<T>): Promise<T>;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** A spinner on stderr, only when stderr is a terminal (so logs and pipes stay clean). */
async function withSpinner<T>(stream: NodeJS.WriteStream, label: string, task: () => Promise<T>): Promise<T> {
  if (!stream.isTTY) return task();
  let frame = 0;
  const draw = () => stream.write(`\r${FRAMES[frame++ % FRAMES.length]} ${label}`);
  // the first frame only after a short while: quick operations never flash a spinner
  let timer: NodeJS.Timeout | undefined;
  const starter = setTimeout(() => {
    draw();
    timer = setInterval(draw, 80);
  }, 300);
  try {
    return await task();
  } finally {
    clearTimeout(starter);
    if (timer !== undefined) {
      clearInterval(timer);
      stream.write('\r\x1b[2K');
    }
  }
}

export function createPrinter(
  json: boolean,
  stdout: NodeJS.WritableStream = process.stdout,
  stderr: NodeJS.WriteStream = process.stderr,
): Printer {
  return {
    json,
    result(value, text) {
      stdout.write(`${json ? JSON.stringify(value, null, 2) : text()}\n`);
    },
    note(text) {
      if (!json) stderr.write(`${text}\n`);
    },
    progress(label, task) {
      return withSpinner(stderr, label, task);
    },
  };
}
