/** How the supervisor shows a child's output: one line per line, prefixed by the part, pino JSON made compact. */

const ANSI = {
  reset: '\u001b[0m',
  dim: '\u001b[2m',
  bold: '\u001b[1m',
  red: '\u001b[31m',
  yellow: '\u001b[33m',
} as const;

/** Colours handed out to parts in order (cyan, green, magenta, blue, yellow, bright variants). */
const PART_COLOURS = ['36', '32', '35', '34', '33', '96', '92', '95', '94', '93'];

const LEVELS: Record<number, { label: string; colour?: string }> = {
  10: { label: 'TRACE', colour: ANSI.dim },
  20: { label: 'DEBUG', colour: ANSI.dim },
  30: { label: 'INFO ' },
  40: { label: 'WARN ', colour: ANSI.yellow },
  50: { label: 'ERROR', colour: ANSI.red },
  60: { label: 'FATAL', colour: ANSI.red + ANSI.bold },
};

export interface LineStyle {
  /** ANSI colours (stdout is a terminal and NO_COLOR is not set). */
  colour: boolean;
  /** Show pino JSON as is instead of compact. */
  raw: boolean;
}

/** Builds `[name     ] ` prefixes, aligned to the longest name, one colour per name. */
export class Prefixer {
  private readonly width: number;
  private readonly colours = new Map<string, string>();

  constructor(
    names: readonly string[],
    private readonly style: LineStyle,
  ) {
    this.width = Math.max(...names.map((name) => name.length));
    names.forEach((name, index) => this.colours.set(name, PART_COLOURS[index % PART_COLOURS.length]));
  }

  prefix(name: string): string {
    const label = `[${name.padEnd(this.width)}]`;
    const colour = this.colours.get(name);
    return this.style.colour && colour ? `\u001b[${colour}m${label}${ANSI.reset} ` : `${label} `;
  }

  /** A child's output line, ready to print (without the newline). */
  format(name: string, line: string): string {
    return this.prefix(name) + (this.style.raw ? line : compactLine(line, this.style.colour));
  }
}

interface PinoLine {
  level: number;
  time?: number;
  msg?: string;
  err?: { message?: string; type?: string } | string;
  /** Fastify's request/response bindings. */
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
  [field: string]: unknown;
}

/** Scalar fields worth a glance, shown as key=value after the message (tx_id first). */
const SHOWN_FIELDS = ['tx_id', 'method', 'code', 'health', 'address'];

function asPinoLine(line: string): PinoLine | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const parsed = JSON.parse(line) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const record = parsed as Record<string, unknown>;
    return typeof record.level === 'number' ? (record as unknown as PinoLine) : undefined;
  } catch {
    return undefined;
  }
}

/** HH:MM:SS.mmm of an epoch-ms time (local clock). */
function clock(time: number): string {
  const date = new Date(time);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

/** A pino JSON line as `12:00:01.234 INFO  message tx_id=… err=…`; any other line unchanged. */
export function compactLine(line: string, colour: boolean): string {
  const pino = asPinoLine(line);
  if (!pino) return line;
  const level = LEVELS[pino.level] ?? { label: String(pino.level).padEnd(5) };
  const levelText = colour && level.colour ? `${level.colour}${level.label}${ANSI.reset}` : level.label;
  const parts = [clock(pino.time ?? Date.now()), levelText, pino.msg ?? ''];
  if (pino.req?.method && pino.req.url) parts.push(`${pino.req.method} ${pino.req.url}`);
  if (pino.res?.statusCode !== undefined) {
    const took = typeof pino.responseTime === 'number' ? ` (${pino.responseTime.toFixed(0)} ms)` : '';
    parts.push(`${pino.res.statusCode}${took}`);
  }
  for (const field of SHOWN_FIELDS) {
    const value = pino[field];
    if (typeof value === 'string' || typeof value === 'number') parts.push(`${field}=${value}`);
  }
  if (pino.err !== undefined) {
    const err = typeof pino.err === 'string' ? pino.err : (pino.err.message ?? pino.err.type ?? '');
    if (err) parts.push(`err=${JSON.stringify(err)}`);
  }
  return parts.join(' ');
}

/** Splits a stream's chunks into complete lines; `flush()` returns a trailing partial line. */
export class LineSplitter {
  private pending = '';

  push(chunk: string): string[] {
    const text = this.pending + chunk;
    const lines = text.split('\n');
    this.pending = lines.pop() ?? '';
    return lines.map((line) => line.replace(/\r$/, ''));
  }

  flush(): string[] {
    const rest = this.pending;
    this.pending = '';
    return rest === '' ? [] : [rest];
  }
}
