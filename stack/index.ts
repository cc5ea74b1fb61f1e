/**
 * The local stack (PostgreSQL, Kafka, Temporal) as a library: used by `npm run stack`, `npm start`,
 * `npm test` and the dtx CLI. Servers on non-loopback addresses are external: probed, never started.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { loadConfig, type Config } from '../common/config';
import {
  COMPONENT_NAMES,
  OPTIONAL_COMPONENTS,
  createContext,
  logFileOf,
  pidFileOf,
  type Component,
  type ComponentName,
  type StackContext,
  type Started,
} from './component';
import { NotReadyError, StackError } from './errors';
import { kafkaComponent } from './kafka';
import { withStackLock } from './lock';
import { consoleReporter, formatDuration, since, type Reporter } from './output';
import { assertPortsFree, portOwner } from './ports';
import { postgresComponent } from './postgres';
import {
  fileTail,
  isSameProcess,
  processCommandLine,
  readPidFile,
  removeFile,
  writePidFile,
  type PidRecord,
} from './process';
import { temporalComponent } from './temporal';
import { zipkinComponent, zipkinUrl } from './zipkin';

export { COMPONENT_NAMES, OPTIONAL_COMPONENTS, type ComponentName } from './component';
export { zipkinSpansEndpoint, zipkinUrl } from './zipkin';
export { StackError } from './errors';
export { consoleReporter, silentReporter, type Reporter } from './output';

const COMPONENTS: Record<ComponentName, Component> = {
  postgres: postgresComponent,
  kafka: kafkaComponent,
  temporal: temporalComponent,
  zipkin: zipkinComponent,
};

export interface StackOptions {
  /** Defaults to loadConfig() (the env). */
  config?: Config;
  /** Progress lines; stdout by default. */
  out?: Reporter;
  /**
   * Only these components. Default: all but the optional ones (zipkin), which are included when DTX_TRACING is on
   * and, for status and logs, when this stack has started them.
   */
  components?: ComponentName[];
}

export type ComponentState =
  /** started by this stack and its process is alive */
  | 'running'
  /** not started (no pid file) */
  | 'stopped'
  /** a pid file whose process is gone */
  | 'crashed'
  /** not started by this stack, yet something answers at its address */
  | 'foreign'
  /** on another machine: only probed */
  | 'external';

export interface ComponentStatus {
  name: ComponentName;
  address: string;
  state: ComponentState;
  pid?: number;
  answering: boolean;
  logFile: string;
  /** e.g. who holds the port of a foreign server */
  detail?: string;
}

/** Several components failed; each message names its component. */
export class StackUpError extends StackError {
  constructor(readonly failures: { component: ComponentName; error: Error }[]) {
    super(
      failures
        .map(({ component, error }) =>
          error.message.startsWith(`${component} `) ? error.message : `${component}: ${error.message}`,
        )
        .join('\n'),
    );
  }
}

function setUp(options: StackOptions): { ctx: StackContext; selected: Component[] } {
  const ctx = createContext(options.config ?? loadConfig(), options.out ?? consoleReporter);
  const names = options.components ?? defaultComponents(ctx);
  return { ctx, selected: names.map((name) => COMPONENTS[name]) };
}

/** The core components, plus each optional one that DTX_TRACING asks for or that this stack has started. */
function defaultComponents(ctx: StackContext): ComponentName[] {
  return COMPONENT_NAMES.filter(
    (name) =>
      !OPTIONAL_COMPONENTS.includes(name) ||
      ctx.config.tracing.enabled ||
      readPidFile(pidFileOf(ctx, name)) !== undefined,
  );
}

/** Polls `probe` until the component answers; fails early if its process exits, or at the timeout. */
async function waitUntilAnswering(
  component: Component,
  ctx: StackContext,
  record: PidRecord,
  started?: Started,
) {
  const logFile = logFileOf(ctx, component.name);
  const startedAt = Date.now();
  let exitReason: string | undefined;
  void started?.exited?.then((reason) => (exitReason = reason));
  let lastNotice = startedAt;
  for (;;) {
    if (await component.probe(ctx)) return;
    if (exitReason !== undefined || !isSameProcess(record)) {
      throw new NotReadyError(
        component.name,
        logFile,
        `exited while starting (${exitReason ?? `pid ${record.pid} is no longer running`})`,
        fileTail(logFile, 15),
      );
    }
    if (Date.now() - startedAt > component.readinessTimeoutMs) {
      throw new NotReadyError(
        component.name,
        logFile,
        `did not answer within ${formatDuration(component.readinessTimeoutMs)} (pid ${record.pid} left running; ` +
          '`npm run stack -- down` stops it)',
        fileTail(logFile, 15),
      );
    }
    if (Date.now() - lastNotice >= 15_000) {
      ctx.out.line(component.name, `  ... waiting for it to answer (${since(startedAt)})`);
      lastNotice = Date.now();
    }
    await sleep(500);
  }
}

/** Brings one component up: reuse it if ours and running, restart it if crashed, else start it. */
async function bringUp(component: Component, ctx: StackContext): Promise<ComponentStatus> {
  const out = (text: string) => ctx.out.line(component.name, text);
  const address = component.address(ctx);
  const logFile = logFileOf(ctx, component.name);
  const startedAt = Date.now();
  const withNote = (note: string | undefined) => (note ? `; ${note}` : '');

  if (!component.managed(ctx)) {
    if (!(await component.probe(ctx))) {
      throw new StackError(
        `the external server at ${address} does not answer (not on this machine, so the stack does not start it)`,
      );
    }
    const note = await component.afterReady(ctx);
    out(`external server at ${address} answers (${since(startedAt)})${withNote(note)}`);
    return { name: component.name, address, state: 'external', answering: true, logFile };
  }

  const pidFile = pidFileOf(ctx, component.name);
  let record = readPidFile(pidFile);
  const orphan = record && isSameProcess(record) ? undefined : component.findOrphan?.(ctx);
  if (orphan !== undefined) {
    out(`found its process (pid ${orphan}) running on this data dir without a pid file; adopting it`);
    record = writePidFile(pidFile, orphan, processCommandLine(orphan) ?? '');
  }
  if (record && isSameProcess(record)) {
    if (!(await component.probe(ctx))) {
      out(`running (pid ${record.pid}) but not answering yet; waiting`);
      await waitUntilAnswering(component, ctx, record);
    }
    const note = await component.afterReady(ctx);
    out(`already running: pid ${record.pid}, ${address}, answering (${since(startedAt)})${withNote(note)}`);
    return { name: component.name, address, state: 'running', pid: record.pid, answering: true, logFile };
  }
  if (record) {
    out(`crashed: pid ${record.pid} is no longer running; restarting it (its log is kept: ${logFile})`);
    removeFile(pidFile);
  }

  if (await component.probe(ctx)) {
    // a server this stack did not start already answers as this component (e.g. one started by hand):
    // use it like an external one (databases / search attributes ensured), and never stop it on `down`
    const note = await component.afterReady(ctx);
    out(
      `already answering at ${address}, not started by this stack: used as is (${since(startedAt)})${withNote(note)}`,
    );
    return { name: component.name, address, state: 'foreign', answering: true, logFile };
  }
  await assertPortsFree(component.ports(ctx));
  await component.install(ctx);
  out(`starting on ${address} (log ${logFile})`);
  const started = await component.start(ctx);
  const startedRecord = writePidFile(pidFile, started.pid, started.command);
  await waitUntilAnswering(component, ctx, startedRecord, started);
  const note = await component.afterReady(ctx);
  out(`up: pid ${started.pid}, ${address}, answering after ${since(startedAt)}${withNote(note)}`);
  return { name: component.name, address, state: 'running', pid: started.pid, answering: true, logFile };
}

/**
 * Starts what is not running (fetching/building tools on the first run) and waits until every
 * component answers. Idempotent. Throws StackUpError naming each component that failed.
 */
export async function stackUp(options: StackOptions = {}): Promise<ComponentStatus[]> {
  const { ctx, selected } = setUp(options);
  const startedAt = Date.now();
  ctx.out.line('stack', `up: data ${ctx.dataDir}, tools cache ${ctx.cacheDir}`);
  return withStackLock(ctx, async () => {
    const results = await Promise.allSettled(selected.map((component) => bringUp(component, ctx)));
    const failures = results.flatMap((result, index) =>
      result.status === 'rejected'
        ? [{ component: selected[index].name, error: asError(result.reason) }]
        : [],
    );
    if (failures.length > 0) throw new StackUpError(failures);
    ctx.out.line('stack', `all up in ${since(startedAt)}`);
    return results.map((result) => (result as PromiseFulfilledResult<ComponentStatus>).value);
  });
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}

/** Stops (gracefully) only the processes `up` started, newest layer first. Leaves everything else alone. */
export async function stackDown(options: StackOptions = {}): Promise<void> {
  const { ctx, selected } = setUp(options);
  await withStackLock(ctx, async () => {
    for (const component of [...selected].reverse()) {
      const out = (text: string) => ctx.out.line(component.name, text);
      if (!component.managed(ctx)) {
        out(`external server at ${component.address(ctx)}: not ours to stop`);
        continue;
      }
      const pidFile = pidFileOf(ctx, component.name);
      const record = readPidFile(pidFile);
      if (!record) {
        out('not started by this stack; nothing to stop');
        continue;
      }
      if (!isSameProcess(record)) {
        out(`was not running (pid ${record.pid} is no longer running); removed its pid file`);
        removeFile(pidFile);
        continue;
      }
      const startedAt = Date.now();
      const how = await component.stop(ctx, record);
      removeFile(pidFile);
      const verb = how === 'killed' ? 'did not stop in time; killed' : 'stopped';
      out(`${verb} (pid ${record.pid}, ${since(startedAt)})`);
    }
  });
}

/** Each component: pid, address, whether it answers, and whether it crashed. */
export async function stackStatus(options: StackOptions = {}): Promise<ComponentStatus[]> {
  const { ctx, selected } = setUp(options);
  return Promise.all(
    selected.map(async (component): Promise<ComponentStatus> => {
      const base = {
        name: component.name,
        address: component.address(ctx),
        logFile: logFileOf(ctx, component.name),
      };
      const answering = await component.probe(ctx);
      if (!component.managed(ctx)) return { ...base, state: 'external', answering };
      const record = readPidFile(pidFileOf(ctx, component.name));
      if (record && isSameProcess(record)) return { ...base, state: 'running', pid: record.pid, answering };
      if (record) {
        return {
          ...base,
          state: 'crashed',
          pid: record.pid,
          answering,
          detail: `pid ${record.pid} is no longer running`,
        };
      }
      if (answering) {
        const owner = component
          .ports(ctx)
          .map((spec) => portOwner(spec.port))
          .find((found) => found !== undefined);
        return {
          ...base,
          state: 'foreign',
          answering,
          detail: `not started by this stack${owner ? `: ${owner}` : ''}`,
        };
      }
      return { ...base, state: 'stopped', answering };
    }),
  );
}

/** The log file of each selected component (whether or not it exists yet). */
export function stackLogFiles(options: StackOptions = {}): { name: ComponentName; file: string }[] {
  const { ctx, selected } = setUp(options);
  return selected.map((component) => ({ name: component.name, file: logFileOf(ctx, component.name) }));
}

/** Prints the last `lines` lines of the logs (and keeps following them with `follow`) through `tail`. */
export function stackLogs(
  options: StackOptions & { lines?: number; follow?: boolean } = {},
): Promise<number> {
  const files = stackLogFiles(options)
    .map(({ file }) => file)
    .filter((file) => fs.existsSync(file));
  if (files.length === 0) {
    (options.out ?? consoleReporter).line('stack', 'no logs yet (the stack has not been started here)');
    return Promise.resolve(0);
  }
  const args = ['-n', String(options.lines ?? 50), ...(options.follow ? ['-F'] : []), ...files];
  return new Promise((resolve) => {
    const child = spawn('tail', args, { stdio: 'inherit' });
    child.once('close', (code) => resolve(code ?? 0));
  });
}

/** The addresses clients use, for `npm start` and the CLI. */
export function stackAddresses(config: Config = loadConfig()): { label: string; value: string }[] {
  return [
    { label: 'Temporal UI', value: config.temporal.uiUrl },
    { label: 'Temporal gRPC', value: `${config.temporal.address} (namespace ${config.temporal.namespace})` },
    { label: 'Kafka', value: config.kafka.brokers.join(',') },
    { label: 'PostgreSQL', value: redactPassword(config.postgresServerUrl) },
    ...(config.tracing.enabled ? [{ label: 'Zipkin (traces)', value: `${zipkinUrl(config)}/zipkin/` }] : []),
  ];
}

function redactPassword(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  if (url.password) url.password = '***';
  return url.toString();
}
