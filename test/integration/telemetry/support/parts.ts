/**
 * The real dtx processes (their main.ts through tsx, as `npm start` runs them) for the tracing tests: tracing is set
 * up by each process's own telemetry.ts before its libraries load, which a part started inside jest (its own module
 * registry) cannot show. Names of their own (databases trace_dtx_*, namespace dtx-trace-test, topics trace.dtx.*),
 * so no other test's worker, relay or projector takes their work; free ports; each part's output in its own log.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DATABASE_NAMES, loadConfig, SERVICE_NAMES, type Config } from '../../../../common/config';
import { createDb } from '../../../../common/db';
import { hasMigrations, migrateDatabase } from '../../../../common/migrate';
import { ensureNamespace } from '../../../../stack/namespace';
import { ensureDatabases } from '../../../../stack/postgres';
import { ensureSearchAttributes } from '../../../../stack/temporal';
import { LOGS_DIR, REPO_ROOT } from '../../../support/env';

/** The names these tests own (never the shop's, never the other tests'). */
export const TRACE_TEST_NAMES = {
  TEMPORAL_NAMESPACE: 'dtx-trace-test',
  DTX_DB_PREFIX: 'trace_',
  DTX_KAFKA_PREFIX: 'trace.',
} as const;

export const PART_SCRIPTS = {
  services: 'services/launcher.ts',
  worker: 'workers/orchestrator/main.ts',
  relay: 'workers/relay/main.ts',
  projector: 'workers/projector/main.ts',
  api: 'api/http/main.ts',
} as const;
export type PartName = keyof typeof PART_SCRIPTS;

export const PART_LOGS_DIR = path.join(LOGS_DIR, 'telemetry');

/** A free TCP port on 127.0.0.1 (the OS picks it; released before the part binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

/** The environment of the parts: the test names, free ports, no ops servers, plus `extra` (the OTEL_* under test). */
export async function partsEnv(extra: Record<string, string | undefined>): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...TRACE_TEST_NAMES, LOG_LEVEL: 'info' };
  // the parts log to stdout (captured per part below), and no OTEL_* of this shell leaks in
  delete env.DTX_LOG_FILE;
  for (const name of Object.keys(env)) if (name.startsWith('OTEL_')) delete env[name];
  for (const service of SERVICE_NAMES)
    env[`DTX_${service.toUpperCase()}_ADDR`] = `127.0.0.1:${await freePort()}`;
  env.DTX_API_PORT = String(await freePort());
  for (const part of ['SERVICES', 'WORKER', 'RELAY', 'PROJECTOR']) env[`DTX_${part}_OPS_PORT`] = '0';
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** What `npm test`'s stack/migrate stages do for the test names, for these: databases, schemas, namespace. */
export async function prepareNames(config: Config): Promise<void> {
  await ensureDatabases(config);
  for (const database of DATABASE_NAMES) {
    if (!hasMigrations(database)) continue;
    const db = createDb(database, {
      url: config.databases[database],
      poolMax: 2,
      applicationName: 'dtx-trace-test',
    });
    try {
      await migrateDatabase(db, database);
    } finally {
      await db.destroy();
    }
  }
  await ensureNamespace(config);
  await ensureSearchAttributes(config);
}

export interface RunningPart {
  name: PartName;
  child: ChildProcess;
  logFile: string;
  /** The part's output so far. */
  log(): string;
}

/** Starts a part; its stdout+stderr go to test/artifacts/logs/telemetry/<label>.log. */
export function startPart(name: PartName, env: NodeJS.ProcessEnv, label: string = name): RunningPart {
  fs.mkdirSync(PART_LOGS_DIR, { recursive: true });
  const logFile = path.join(PART_LOGS_DIR, `${label}.log`);
  const fd = fs.openSync(logFile, 'w');
  const child = spawn(process.execPath, ['--import', 'tsx', PART_SCRIPTS[name]], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', fd, fd],
  });
  fs.closeSync(fd);
  return { name, child, logFile, log: () => fs.readFileSync(logFile, 'utf8') };
}

/** Waits until the part's log has a line matching `pattern`; fails early if it exits. */
export async function waitForLog(part: RunningPart, pattern: RegExp, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (pattern.test(part.log())) return;
    if (part.child.exitCode !== null || part.child.signalCode !== null) {
      throw new Error(
        `${part.name} exited (${part.child.exitCode ?? part.child.signalCode}):\n${part.log().slice(-3000)}`,
      );
    }
    await sleep(250);
  }
  throw new Error(`${part.name}: no log line ${pattern} within ${timeoutMs} ms:\n${part.log().slice(-3000)}`);
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when it is gone. */
export async function stopPart(part: RunningPart, graceMs = 20_000): Promise<void> {
  if (part.child.exitCode !== null || part.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => part.child.once('exit', () => resolve()));
  part.child.kill('SIGTERM');
  const timer = setTimeout(() => part.child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** The config the parts read from `env`. */
export function configOf(env: NodeJS.ProcessEnv): Config {
  return loadConfig(env);
}

/** The log messages ("msg") the part wrote that match `pattern`. */
export function logMessages(part: RunningPart, pattern: RegExp): Record<string, unknown>[] {
  return part
    .log()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        return {};
      }
    })
    .filter((entry) => typeof entry.msg === 'string' && pattern.test(entry.msg));
}
