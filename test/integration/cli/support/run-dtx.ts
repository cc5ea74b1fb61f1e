/** Runs the real `dtx` bin in its own process; resolves with its exit code and output (never rejects on a non-zero exit). */
import { spawn } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../../..');

export interface DtxRun {
  code: number;
  stdout: string;
  stderr: string;
  /** parsed --json output (undefined when stdout is not JSON) */
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- asserted field by field by the tests
}

export function runDtx(args: string[], env: NodeJS.ProcessEnv): Promise<DtxRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'cli/dtx.js'), ...args], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      let json: unknown;
      try {
        json = JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      resolve({ code: code ?? -1, stdout, stderr, json });
    });
  });
}
