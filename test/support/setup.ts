/**
 * Runs before each test file (setupFilesAfterEnv). Refuses the shop's names (test/support/env.ts), and gives the file
 * its own log, test/artifacts/logs/<file>.log, in place of the terminal: every pino logger of the code under test
 * (DTX_LOG_FILE; child processes inherit it) and whatever this file's code writes to process.stderr (the Temporal
 * SDK's loggers). log-reporter.js prints the log's tail when the file fails; jest's own output is untouched.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../common/config';
import { assertApartFromStart, logFileOf } from './env';

assertApartFromStart(loadConfig());

const testPath = expect.getState().testPath;
if (testPath !== undefined) {
  const logFile = logFileOf(testPath);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  fs.writeFileSync(logFile, ''); // this run's lines only
  // append mode, like pino's stream and the child processes' on the same file: no writer overwrites another's lines
  const fd = fs.openSync(logFile, 'a');
  process.env.DTX_LOG_FILE = logFile;
  // `process` here is this test file's sandbox copy: only code loaded by this file writes through it (jest's
  // reporters use the real one); synchronous, so nothing is lost when the file ends
  const stderr = new Writable({
    write(chunk: Buffer, _encoding, done) {
      fs.writeSync(fd, chunk);
      done();
    },
  });
  Object.defineProperty(process, 'stderr', { value: stderr, configurable: true, writable: true });
}
// the file takes what the terminal could not: info lines give a failure its context
process.env.LOG_LEVEL ??= 'info';
