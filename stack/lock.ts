/** One stack command at a time per data dir (e.g. `npm test` while `npm start` brings the stack up). */
import { setTimeout as sleep } from 'node:timers/promises';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StackContext } from './component';
import { StackError } from './errors';
import { isAlive } from './process';

const WAIT_LIMIT_MS = 30 * 60_000;

/** Runs `fn` holding $DTX_DATA/run/stack.lock; waits for a live holder, takes over from a dead one. */
export async function withStackLock<T>(ctx: StackContext, fn: () => Promise<T>): Promise<T> {
  const lockFile = path.join(ctx.runDir, 'stack.lock');
  fs.mkdirSync(ctx.runDir, { recursive: true });
  const startedAt = Date.now();
  let announced = false;
  for (;;) {
    try {
      fs.writeFileSync(lockFile, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number(fs.readFileSync(lockFile, 'utf8').trim());
    if (!Number.isInteger(holder) || holder <= 0 || !isAlive(holder)) {
      fs.rmSync(lockFile, { force: true });
      continue;
    }
    if (!announced) {
      ctx.out.line('stack', `waiting for another stack command (pid ${holder}) to finish`);
      announced = true;
    }
    if (Date.now() - startedAt > WAIT_LIMIT_MS) {
      throw new StackError(`another stack command (pid ${holder}) has held ${lockFile} for 30 minutes`);
    }
    await sleep(1000);
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockFile, { force: true });
  }
}
