// @ts-check
/**
 * Jest reporter, next to the default one: after a test file FAILED, prints the tail of that file's own log
 * (test/artifacts/logs/<path under test/>.log, written by test/support/setup.ts), pino's JSON lines made readable.
 * Passing files print nothing, so `npm test` shows its stages and jest's summaries. Plain JS: jest loads reporters
 * without transforming them.
 */
const fs = require('node:fs');
const path = require('node:path');

const LEVELS = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** pino's own fields, shown in the line's prefix rather than in its JSON rest. */
const PINO_FIELDS = new Set(['level', 'time', 'pid', 'hostname', 'name', 'msg']);

/** A pino JSON line as `hh:mm:ss.mmm LEVEL name: msg {rest}`; any other line as it is. */
function readable(line) {
  if (!line.startsWith('{')) return line;
  let entry;
  try {
    entry = JSON.parse(line);
  } catch {
    return line;
  }
  if (typeof entry !== 'object' || entry === null || !('level' in entry)) return line;
  const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 23) : '';
  const level = (LEVELS[entry.level] ?? String(entry.level)).padEnd(5);
  const rest = Object.fromEntries(Object.entries(entry).filter(([key]) => !PINO_FIELDS.has(key)));
  const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
  return `${time} ${level} ${entry.name ?? '?'}: ${entry.msg ?? ''}${extra}`;
}

class LogReporter {
  /**
   * @param {{ rootDir: string }} globalConfig
   * @param {{ lines?: number }} [options]
   */
  constructor(globalConfig, options = {}) {
    this.rootDir = globalConfig.rootDir;
    this.lines = options.lines ?? 150;
  }

  /** Same rule as logFileOf in test/support/env.ts. */
  logFileOf(testPath) {
    const test = path.join(this.rootDir, 'test');
    return path.join(test, 'artifacts', 'logs', `${path.relative(test, testPath)}.log`);
  }

  /**
   * @param {{ path: string }} test
   * @param {{ numFailingTests: number, testExecError?: unknown }} result
   */
  onTestResult(test, result) {
    if (result.numFailingTests === 0 && !result.testExecError) return;
    const file = this.logFileOf(test.path);
    let text;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return; // the file failed before its setup ran (e.g. a syntax error): nothing logged
    }
    const lines = text.split('\n').filter((line) => line !== '');
    if (lines.length === 0) return;
    const shown = lines.slice(-this.lines);
    const where = path.relative(this.rootDir, file);
    const what =
      shown.length < lines.length ? `last ${shown.length} of ${lines.length} lines` : `${lines.length} lines`;
    const out = [
      `\n──── log of ${path.relative(this.rootDir, test.path)} (${what}; all of it in ${where}) ────`,
    ];
    out.push(
      ...shown.map(readable),
      `──── end of the log of ${path.relative(this.rootDir, test.path)} ────\n`,
    );
    process.stderr.write(`${out.join('\n')}\n`);
  }
}

module.exports = LogReporter;
