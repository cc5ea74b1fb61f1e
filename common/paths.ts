/**
 * The repository root, whether this code runs from source (common/paths.ts) or compiled (dist/common/paths.js): the
 * nearest folder up that has package.json. Files that are not compiled (proto/, .dtx/, the Kafka POM, docs/) are
 * found from here; compiled siblings (migrations, workflows) are found from __dirname.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(__dirname, '..');
  }
}

export const REPO_ROOT = findRepoRoot(path.resolve(__dirname, '..'));
