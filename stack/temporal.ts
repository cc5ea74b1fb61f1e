/** Temporal: the CLI's dev server (built once with `go install` into $DTX_CACHE), SQLite under $DTX_DATA. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Connection } from '@temporalio/client';
// Not re-exported from the package index; the typed encoder of the proto enum.
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { splitHostPort, type Config } from '../common/config';
import { temporalConnectionOptions } from '../common/temporal';
import { SEARCH_ATTRIBUTE_KEYS } from '../workflows/search-attributes';
import { installAtomically, isInstalled } from './cache';
import { logFileOf, type Component, type StackContext, type Started } from './component';
import { InstallError, MissingToolError } from './errors';
import { formatDuration, since } from './output';
import { ensureNamespace } from './namespace';
import { isLoopback, type PortSpec } from './ports';
import { runCommand, spawnDetached, stopProcess, which, type PidRecord } from './process';

/** The newest tag `go install` accepts (later tags carry a `replace` directive). */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';

const HEARTBEAT_MS = 15_000;

export function temporalBinary(ctx: StackContext): string {
  return path.join(temporalInstallDir(ctx), 'temporal');
}

function temporalInstallDir(ctx: StackContext): string {
  return path.join(ctx.cacheDir, 'temporal', TEMPORAL_CLI_VERSION);
}

function uiPort(config: Config): number {
  const url = new URL(config.temporal.uiUrl);
  return url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
}

async function withConnection<T>(config: Config, use: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ ...temporalConnectionOptions(config), connectTimeout: '3s' });
  try {
    return await use(connection);
  } finally {
    await connection.close();
  }
}

/** Builds the CLI into a temp dir and moves it into the cache only when the build and a `--version` run succeed. */
async function buildTemporalCli(ctx: StackContext): Promise<void> {
  const go = which('go');
  if (!go) {
    throw new MissingToolError(
      'go (needed once, to build the Temporal CLI)',
      'Go 1.25+ from https://go.dev/dl/ (tar -C /usr/local -xzf go<version>.linux-amd64.tar.gz; add /usr/local/go/bin to PATH)',
    );
  }
  const out = (text: string) => ctx.out.line('temporal', text);
  const startedAt = Date.now();
  out(`building the Temporal CLI ${TEMPORAL_CLI_VERSION} with go install (first run only; takes minutes)`);
  await installAtomically(temporalInstallDir(ctx), async (tempDir) => {
    const result = await runCommand(go, ['install', `${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`], {
      env: { ...process.env, GOBIN: tempDir },
      onLine: (line) => out(`  ${line}`),
      heartbeatMs: HEARTBEAT_MS,
      onHeartbeat: (elapsed) => out(`  ... still building (${formatDuration(elapsed)})`),
    });
    if (result.code !== 0) {
      throw new InstallError(
        `go install ${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`,
        `exit code ${result.code ?? result.signal}`,
        result.tail,
        'if it ran out of memory, retry with GOFLAGS=-p=1; a module missing from the proxy or an old Go shows in the output above',
      );
    }
    const check = await runCommand(path.join(tempDir, 'temporal'), ['--version']);
    if (check.code !== 0) throw new InstallError('the built temporal binary', 'it does not run', check.tail);
    out(`  built: ${check.tail.join(' ')}`);
  });
  out(`Temporal CLI installed at ${temporalBinary(ctx)} (${since(startedAt)})`);
}

/** Registers the design's search attributes that the namespace lacks (start-dev registers them only on a new db). */
export async function ensureSearchAttributes(config: Config): Promise<string[]> {
  return withConnection(config, async (connection) => {
    const namespace = config.temporal.namespace;
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    const known = new Set(Object.keys(existing.customAttributes ?? {}));
    const missing = SEARCH_ATTRIBUTE_KEYS.filter((key) => !known.has(key.name));
    if (missing.length > 0) {
      const searchAttributes = Object.fromEntries(
        missing.map(({ name, type }) => {
          const encoded = encodeSearchAttributeIndexedValueType(type);
          if (encoded === undefined) throw new Error(`unknown search attribute type ${type}`);
          return [name, encoded];
        }),
      );
      await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
    }
    return missing.map((key) => key.name);
  });
}

export const temporalComponent: Component = {
  name: 'temporal',
  readinessTimeoutMs: 120_000,

  address(ctx) {
    return `${ctx.config.temporal.address} (UI ${ctx.config.temporal.uiUrl})`;
  },

  managed(ctx) {
    return isLoopback(splitHostPort(ctx.config.temporal.address).host);
  },

  ports(ctx): PortSpec[] {
    const { host, port } = splitHostPort(ctx.config.temporal.address);
    const uiHost = new URL(ctx.config.temporal.uiUrl).hostname;
    return [
      { host, port, role: 'temporal gRPC', envVarHint: `TEMPORAL_ADDRESS=${host}:<port>` },
      {
        host: uiHost,
        port: uiPort(ctx.config),
        role: 'temporal web UI',
        envVarHint: `TEMPORAL_UI_URL=http://${uiHost}:<port>`,
      },
    ];
  },

  async install(ctx) {
    if (isInstalled(temporalInstallDir(ctx))) return;
    await buildTemporalCli(ctx);
  },

  start(ctx): Promise<Started> {
    const dataDir = path.join(ctx.dataDir, 'temporal');
    fs.mkdirSync(dataDir, { recursive: true });
    const { host, port } = splitHostPort(ctx.config.temporal.address);
    // the CLI takes the type's short name (KEYWORD -> Keyword)
    const searchAttributeArgs = SEARCH_ATTRIBUTE_KEYS.flatMap(({ name, type }) => [
      '--search-attribute',
      `${name}=${type.charAt(0)}${type.slice(1).toLowerCase()}`,
    ]);
    const args = [
      'server',
      'start-dev',
      '--ip',
      host,
      '--port',
      String(port),
      '--ui-ip',
      new URL(ctx.config.temporal.uiUrl).hostname,
      '--ui-port',
      String(uiPort(ctx.config)),
      '--db-filename',
      path.join(dataDir, 'temporal.db'),
      '--namespace',
      ctx.config.temporal.namespace,
      '--dynamic-config-value',
      'frontend.enableServerVersionCheck=false',
      // Speed (bench:saga): the SQLite journal in WAL mode, synced at checkpoints rather than on every commit, takes the
      // engine's CPU per order down ~40% and the one-client latency ~2x. A killed or restarted server keeps every
      // committed history (WAL replays at open); only an OS crash/power loss may drop the last commits.
      '--sqlite-pragma',
      'journal_mode=wal',
      '--sqlite-pragma',
      'synchronous=normal',
      // A remote activity scheduled by a workflow task goes back in that task's completion to the worker that asked
      // for it, instead of through the matching queue (skips a queue hop; local activities do not need it).
      '--dynamic-config-value',
      'system.enableActivityEagerExecution=true',
      // Timers fire within ~10 ms of their time instead of ~1 s (the server's clock-skew margin, pointless in one
      // process): a 20 ms retry backoff really is 20 ms, a short timer no longer costs an order a second.
      '--dynamic-config-value',
      'history.timerProcessorMaxTimeShift="10ms"',
      // POST /v1/orders?wait=decided is one Update-with-Start (ExecuteMultiOperation + a workflow update): both are on
      // by default in this CLI's server (1.29), set here so the API does not depend on that default.
      '--dynamic-config-value',
      'frontend.enableUpdateWorkflowExecution=true',
      '--dynamic-config-value',
      'frontend.enableExecuteMultiOperation=true',
      ...searchAttributeArgs,
      '--log-level',
      'warn',
    ];
    // The CLI reads TEMPORAL_* env as client settings; the server's own flags must be the only input.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !key.startsWith('TEMPORAL_')),
    );
    const binary = temporalBinary(ctx);
    const child = spawnDetached(binary, args, { cwd: dataDir, env, logFile: logFileOf(ctx, 'temporal') });
    return Promise.resolve({ pid: child.pid, command: `${binary} ${args.join(' ')}`, exited: child.exited });
  },

  async probe(ctx) {
    try {
      // the server, not the namespace: afterReady registers TEMPORAL_NAMESPACE when it is missing (npm test's)
      await withConnection(ctx.config, (connection) => connection.workflowService.getSystemInfo({}));
    } catch {
      return false;
    }
    if (!this.managed(ctx)) return true;
    try {
      const response = await fetch(ctx.config.temporal.uiUrl, { signal: AbortSignal.timeout(3000) });
      return response.status < 500;
    } catch {
      return false;
    }
  },

  async afterReady(ctx) {
    const namespace = ctx.config.temporal.namespace;
    const registered = await ensureNamespace(ctx.config);
    const added = await ensureSearchAttributes(ctx.config);
    const notes = [
      ...(registered ? [`namespace ${namespace} registered`] : []),
      ...(added.length > 0 ? [`search attributes registered in ${namespace}: ${added.join(', ')}`] : []),
    ];
    return notes.length > 0 ? notes.join('; ') : undefined;
  },

  stop(_ctx, record: PidRecord) {
    return stopProcess(record, { graceMs: 20_000, group: true });
  },
};
