/**
 * Installs into $DTX_CACHE atomically: build into a temp dir next to the target, mark it complete, rename.
 * A failed or interrupted build leaves only a temp dir, which is never trusted and is swept later.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isAlive } from './process';

const MARKER = '.complete';

/** True when `dir` holds a finished install. */
export function isInstalled(dir: string): boolean {
  return fs.existsSync(path.join(dir, MARKER));
}

/** Removes temp dirs of earlier builds whose process is gone (`.tmp-<name>-<pid>-<random>`). */
function sweepStaleTempDirs(parent: string): void {
  let entries: string[];
  try {
    entries = fs.readdirSync(parent);
  } catch {
    return;
  }
  for (const entry of entries) {
    const match = /^\.tmp-.*-(\d+)-[0-9a-f]+$/.exec(entry);
    if (match && !isAlive(Number(match[1])))
      fs.rmSync(path.join(parent, entry), { recursive: true, force: true });
  }
}

/**
 * Runs `build(tempDir)` and moves the result to `finalDir` only when it succeeds.
 * If another process finished the same install meanwhile, its result wins and ours is discarded.
 */
export async function installAtomically(
  finalDir: string,
  build: (tempDir: string) => Promise<void>,
): Promise<void> {
  const parent = path.dirname(finalDir);
  fs.mkdirSync(parent, { recursive: true });
  sweepStaleTempDirs(parent);
  // A target without the marker is a leftover of something else; never trust it.
  if (fs.existsSync(finalDir) && !isInstalled(finalDir))
    fs.rmSync(finalDir, { recursive: true, force: true });
  const tempDir = path.join(
    parent,
    `.tmp-${path.basename(finalDir)}-${process.pid}-${crypto.randomBytes(4).toString('hex')}`,
  );
  fs.mkdirSync(tempDir);
  try {
    await build(tempDir);
    fs.writeFileSync(path.join(tempDir, MARKER), `${new Date().toISOString()}\n`);
    try {
      fs.renameSync(tempDir, finalDir);
    } catch (error) {
      if (!isInstalled(finalDir)) throw error;
    }
  } finally {
    fs.rmSync(tempDir, { recursive: true, force: true });
  }
}
