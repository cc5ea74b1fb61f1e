/**
 * PostgreSQL: a cluster owned by dtx under $DTX_DATA/pg (initdb + pg_ctl) using the machine's server binaries.
 * As root it runs as the `postgres` OS user (initdb/postgres refuse root); otherwise as the current user.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import type { Config } from '../common/config';
import { logFileOf, type Component, type StackContext, type Started } from './component';
import { InstallError, MissingToolError, StackError } from './errors';
import { formatDuration, since } from './output';
import { isLoopback, type PortSpec } from './ports';
import {
  isAlive,
  processCommandLine,
  runCommand,
  stopProcess,
  which,
  type CommandResult,
  type PidRecord,
} from './process';

const PG_LIB_ROOT = '/usr/lib/postgresql';
const SERVER_BINARIES = ['initdb', 'pg_ctl', 'postgres'];
const OS_USER_WHEN_ROOT = 'postgres';
/** Unix socket paths are limited to ~107 bytes. */
const MAX_SOCKET_DIR_LENGTH = 90;

interface PgServer {
  host: string;
  port: number;
  user: string;
}

function server(ctx: Pick<StackContext, 'config'>): PgServer {
  const url = new URL(ctx.config.postgresServerUrl);
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port === '' ? 5432 : Number(url.port),
    user: decodeURIComponent(url.username) || 'postgres',
  };
}

const clusterDir = (ctx: StackContext) => path.join(ctx.dataDir, 'pg');

function socketDir(ctx: StackContext): string {
  const preferred = path.join(ctx.runDir, 'pg-socket');
  if (preferred.length <= MAX_SOCKET_DIR_LENGTH) return preferred;
  // A long $DTX_DATA would overflow the socket path; fall back to a short per-data-dir path.
  const suffix = Buffer.from(ctx.dataDir).toString('base64url').slice(-12);
  return path.join(os.tmpdir(), `dtx-pg-${suffix}`);
}

/** The directory holding initdb/pg_ctl/postgres, preferring `version` (the cluster's), else the newest. */
export function findPgBinDir(version?: string, libRoot = PG_LIB_ROOT): string | undefined {
  const hasServer = (dir: string) => SERVER_BINARIES.every((bin) => fs.existsSync(path.join(dir, bin)));
  let versions: string[] = [];
  try {
    versions = fs.readdirSync(libRoot).filter((entry) => /^\d+(\.\d+)?$/.test(entry));
  } catch {
    // no Debian-style install
  }
  versions.sort((a, b) => Number(b) - Number(a));
  const ordered = version ? [version, ...versions.filter((v) => v !== version)] : versions;
  for (const candidate of ordered) {
    const dir = path.join(libRoot, candidate, 'bin');
    if (hasServer(dir)) return dir;
  }
  const onPath = which('pg_ctl');
  if (onPath && hasServer(path.dirname(onPath))) return path.dirname(onPath);
  return undefined;
}

const isRoot = () => process.getuid?.() === 0;

/** uid/gid of the OS user the cluster runs as when we are root. */
function postgresOsUser(): { uid: number; gid: number } {
  const uid = spawnSync('id', ['-u', OS_USER_WHEN_ROOT], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', OS_USER_WHEN_ROOT], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) {
    throw new StackError(
      `running as root, the PostgreSQL cluster must run as the "${OS_USER_WHEN_ROOT}" OS user, which does not exist. ` +
        `Install Debian's postgresql package (apt-get install -y postgresql), which creates it, or run the stack as a normal user.`,
    );
  }
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Gives a path to the cluster's OS user (only when we are root). */
function ownByClusterUser(target: string): void {
  if (!isRoot()) return;
  const { uid, gid } = postgresOsUser();
  fs.chownSync(target, uid, gid);
}

/** Runs a PostgreSQL binary as the cluster's OS user. */
function runAsClusterUser(binary: string, args: string[]): Promise<CommandResult> {
  const env = { ...process.env, LC_ALL: 'C.UTF-8' };
  if (!isRoot()) return runCommand(binary, args, { cwd: '/', env });
  return runCommand('runuser', ['-u', OS_USER_WHEN_ROOT, '--', binary, ...args], { cwd: '/', env });
}

/** Installs Debian's postgresql package when we may (root + apt-get); otherwise says what to run. */
async function installServerPackage(ctx: StackContext): Promise<void> {
  const how = 'apt-get update && apt-get install -y postgresql (as root)';
  if (!isRoot() || !which('apt-get')) {
    throw new MissingToolError('the PostgreSQL server binaries (initdb, pg_ctl, postgres)', how);
  }
  const out = (text: string) => ctx.out.line('postgres', text);
  const startedAt = Date.now();
  out("PostgreSQL server binaries not found; installing Debian's postgresql package");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'postgresql']]) {
    const result = await runCommand('apt-get', args, {
      env,
      onLine: (line) => out(`  ${line}`),
      heartbeatMs: 15_000,
      onHeartbeat: (elapsed) => out(`  ... apt-get ${args[0]} still running (${formatDuration(elapsed)})`),
    });
    if (result.code !== 0)
      throw new InstallError(`apt-get ${args.join(' ')}`, `exit code ${result.code}`, result.tail);
  }
  out(`postgresql installed (${since(startedAt)})`);
}

function clusterVersion(ctx: StackContext): string | undefined {
  try {
    return fs.readFileSync(path.join(clusterDir(ctx), 'PG_VERSION'), 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Major version of the server binaries in `binDir` ("15"), from `postgres -V`. */
function binariesVersion(binDir: string): string | undefined {
  const result = spawnSync(path.join(binDir, 'postgres'), ['-V'], { encoding: 'utf8' });
  return /\(PostgreSQL\) (\d+)/.exec(result.stdout ?? '')?.[1];
}

function requireBinDir(ctx: StackContext): string {
  const version = clusterVersion(ctx);
  const dir = findPgBinDir(version);
  if (!dir) throw new MissingToolError('the PostgreSQL server binaries', 'apt-get install -y postgresql');
  const installed = binariesVersion(dir);
  if (version && installed && installed !== version) {
    throw new StackError(
      `the cluster in ${clusterDir(ctx)} is PostgreSQL ${version}, but the server binaries in ${dir} are ` +
        `PostgreSQL ${installed}. Install postgresql-${version}, or move that directory away to start a new cluster.`,
    );
  }
  return dir;
}

/** initdb into a temp dir, renamed into place only when it succeeded. */
async function initCluster(ctx: StackContext, binDir: string): Promise<void> {
  const target = clusterDir(ctx);
  const temp = `${target}.initdb-tmp`;
  fs.rmSync(temp, { recursive: true, force: true });
  fs.mkdirSync(temp, { recursive: true, mode: 0o700 });
  ownByClusterUser(temp);
  if (isRoot()) {
    const reach = spawnSync('runuser', ['-u', OS_USER_WHEN_ROOT, '--', 'test', '-w', temp]);
    if (reach.status !== 0) {
      fs.rmSync(temp, { recursive: true, force: true });
      throw new StackError(
        `the "${OS_USER_WHEN_ROOT}" OS user cannot reach ${temp} (a parent directory is not traversable for it). ` +
          `Run chmod o+x on the parents, or set DTX_DATA to a directory it can reach (e.g. /var/tmp/dtx).`,
      );
    }
  }
  const startedAt = Date.now();
  const result = await runAsClusterUser(path.join(binDir, 'initdb'), [
    '-D',
    temp,
    '-U',
    server(ctx).user,
    '-A',
    'trust',
    '-E',
    'UTF8',
  ]);
  fs.appendFileSync(logFileOf(ctx, 'postgres'), `${result.tail.join('\n')}\n`);
  if (result.code !== 0) {
    fs.rmSync(temp, { recursive: true, force: true });
    throw new InstallError(`initdb -D ${temp}`, `exit code ${result.code}`, result.tail);
  }
  fs.renameSync(temp, target);
  ctx.out.line('postgres', `cluster initialised in ${target} (${since(startedAt)})`);
}

/** idle_in_transaction_session_timeout of the local cluster (see start()). */
export const IDLE_IN_TRANSACTION_TIMEOUT = '1min';

/** Pid of the running postmaster from its lock file, if any. */
function postmasterPid(ctx: StackContext): number | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(clusterDir(ctx), 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function quoteForPgCtl(value: string): string {
  // pg_ctl hands -o to /bin/sh: single-quote it.
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

async function queryServer<T>(
  ctx: Pick<StackContext, 'config'>,
  use: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client({
    connectionString: ctx.config.postgresServerUrl,
    connectionTimeoutMillis: 3000,
  });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Names of the configured databases that live on this server (DTX_<SERVICE>_DB_URL may move some elsewhere). */
function databasesOnServer(ctx: Pick<StackContext, 'config'>): string[] {
  const { host, port } = server(ctx);
  return Object.values(ctx.config.databases)
    .map((databaseUrl) => new URL(databaseUrl))
    .filter((url) => url.hostname === host && (url.port === '' ? 5432 : Number(url.port)) === port)
    .map((url) => decodeURIComponent(url.pathname.replace(/^\//, '')));
}

/**
 * Creates the configured databases (DTX_DB_PREFIX names them: npm test's are test_dtx_*) that the server lacks;
 * returns the names created. Used by `stack up` and the migrate step.
 */
export async function ensureDatabases(config: Config): Promise<string[]> {
  const wanted = databasesOnServer({ config });
  return queryServer({ config }, async (client) => {
    const existing = await client.query<{ datname: string }>('select datname from pg_database');
    const present = new Set(existing.rows.map((row) => row.datname));
    const missing = [...new Set(wanted)].filter((name) => !present.has(name));
    for (const name of missing) {
      try {
        await client.query(`create database "${name.replace(/"/g, '""')}"`);
      } catch (error) {
        // a parallel `stack up` / migrate created it first: 42P04 duplicate_database, or 23505 when the two
        // creates raced on pg_database's unique index
        const code = (error as { code?: string }).code;
        if (code !== '42P04' && code !== '23505') throw error;
      }
    }
    return missing;
  });
}

export const postgresComponent: Component = {
  name: 'postgres',
  readinessTimeoutMs: 60_000,

  address(ctx) {
    const { host, port } = server(ctx);
    return `${host}:${port}`;
  },

  managed(ctx) {
    return isLoopback(server(ctx).host);
  },

  ports(ctx): PortSpec[] {
    const { host, port } = server(ctx);
    return [
      {
        host,
        port,
        role: 'postgres',
        envVarHint: `DTX_PG_URL=postgres://${server(ctx).user}@${host}:<port>/postgres`,
      },
    ];
  },

  async install(ctx) {
    if (findPgBinDir(clusterVersion(ctx))) return;
    await installServerPackage(ctx);
    if (!findPgBinDir()) {
      throw new MissingToolError('the PostgreSQL server binaries', 'apt-get install -y postgresql');
    }
  },

  async start(ctx): Promise<Started> {
    const logFile = logFileOf(ctx, 'postgres');
    fs.mkdirSync(path.dirname(logFile), { recursive: true });
    fs.appendFileSync(logFile, '');
    ownByClusterUser(logFile);
    if (clusterVersion(ctx) === undefined) await initCluster(ctx, requireBinDir(ctx));
    const binDir = requireBinDir(ctx);
    const sockets = socketDir(ctx);
    fs.mkdirSync(sockets, { recursive: true });
    ownByClusterUser(sockets);
    const { host, port } = server(ctx);
    const serverOptions = [
      `-p ${port}`,
      `-c listen_addresses=${quoteForPgCtl(host)}`,
      `-k ${quoteForPgCtl(sockets)}`,
      '-c max_connections=300',
      // An open transaction left idle holds every outbox relay of the cluster (transaction ids are cluster-wide, so
      // the relay's visibility horizon waits for it): end such sessions after a minute.
      `-c idle_in_transaction_session_timeout=${IDLE_IN_TRANSACTION_TIMEOUT}`,
    ].join(' ');
    fs.appendFileSync(
      logFile,
      `\n==== dtx stack: ${new Date().toISOString()} pg_ctl start (${serverOptions})\n`,
    );
    const pgCtl = path.join(binDir, 'pg_ctl');
    const args = ['start', '-D', clusterDir(ctx), '-l', logFile, '-w', '-t', '60', '-o', serverOptions];
    const result = await runAsClusterUser(pgCtl, args);
    const pid = postmasterPid(ctx);
    if (result.code !== 0 || pid === undefined) {
      throw new InstallError('pg_ctl start', `exit code ${result.code}`, result.tail);
    }
    return { pid, command: `${pgCtl} ${args.join(' ')}` };
  },

  async probe(ctx) {
    const { host, port, user } = server(ctx);
    const binDir = findPgBinDir(clusterVersion(ctx));
    if (binDir && fs.existsSync(path.join(binDir, 'pg_isready'))) {
      const ready = await runCommand(path.join(binDir, 'pg_isready'), [
        '-h',
        host,
        '-p',
        String(port),
        '-U',
        user,
        '-t',
        '3',
      ]);
      if (ready.code !== 0) return false;
    }
    try {
      const result = await queryServer(ctx, (client) => client.query<{ one: number }>('select 1 as one'));
      return result.rows[0]?.one === 1;
    } catch {
      return false;
    }
  },

  async afterReady(ctx) {
    const created = await ensureDatabases(ctx.config);
    return created.length > 0 ? `databases created: ${created.join(', ')}` : undefined;
  },

  findOrphan(ctx) {
    const pid = postmasterPid(ctx);
    // Only a postmaster of our own cluster directory counts (the lock file may be stale after a crash).
    return pid !== undefined && isAlive(pid) && processCommandLine(pid)?.includes(clusterDir(ctx))
      ? pid
      : undefined;
  },

  async stop(ctx, record: PidRecord) {
    const binDir = findPgBinDir(clusterVersion(ctx));
    if (binDir && postmasterPid(ctx) === record.pid) {
      const result = await runAsClusterUser(path.join(binDir, 'pg_ctl'), [
        'stop',
        '-D',
        clusterDir(ctx),
        '-m',
        'fast',
        '-w',
        '-t',
        '60',
      ]);
      if (result.code === 0) return 'stopped';
    }
    // pg_ctl could not do it: SIGINT is PostgreSQL's "fast shutdown" too.
    return stopProcess(record, { graceMs: 30_000, group: false, signal: 'SIGINT' });
  },
};
