/** What every stack component (temporal, kafka, postgres, the optional zipkin) provides, and the context they run in. */
import * as path from 'node:path';
import type { Config } from '../common/config';
import { REPO_ROOT } from '../common/paths';
import type { Reporter } from './output';
import type { PortSpec } from './ports';
import type { PidRecord } from './process';

export const COMPONENT_NAMES = ['postgres', 'kafka', 'temporal', 'zipkin'] as const;
export type ComponentName = (typeof COMPONENT_NAMES)[number];
/** Started only when named (or by DTX_TRACING): dtx runs without them. */
export const OPTIONAL_COMPONENTS: readonly ComponentName[] = ['zipkin'];

/** Directories and settings shared by every component. */
export interface StackContext {
  config: Config;
  /** The checkout (for files committed with the stack, e.g. the Kafka POM). */
  repoRoot: string;
  /** Downloaded/built tools, shared by all clones ($DTX_CACHE). */
  cacheDir: string;
  /** Runtime data of this checkout ($DTX_DATA). */
  dataDir: string;
  /** Pid files and sockets. */
  runDir: string;
  /** One appended log per component. */
  logsDir: string;
  out: Reporter;
}

export { REPO_ROOT };

export function createContext(config: Config, out: Reporter): StackContext {
  return {
    config,
    repoRoot: REPO_ROOT,
    cacheDir: config.cacheDir,
    dataDir: config.dataDir,
    runDir: path.join(config.dataDir, 'run'),
    logsDir: path.join(config.dataDir, 'logs'),
    out,
  };
}

export const pidFileOf = (ctx: StackContext, name: ComponentName): string =>
  path.join(ctx.runDir, `${name}.pid`);
export const logFileOf = (ctx: StackContext, name: ComponentName): string =>
  path.join(ctx.logsDir, `${name}.log`);

/** A freshly started process: its pid, and (when we are its parent) a promise that settles if it exits. */
export interface Started {
  pid: number;
  command: string;
  exited?: Promise<string>;
}

export interface Component {
  readonly name: ComponentName;
  /** How long `up` waits for it to answer after starting it. */
  readonly readinessTimeoutMs: number;
  /** Where clients reach it, for progress and status lines. */
  address(ctx: StackContext): string;
  /** True when the stack runs it itself (loopback address); otherwise it is an external server, only probed. */
  managed(ctx: StackContext): boolean;
  /** The ports it binds, checked before starting it. */
  ports(ctx: StackContext): PortSpec[];
  /** Makes sure its tools and cached binaries exist (fetches/builds them on the first run). */
  install(ctx: StackContext): Promise<void>;
  /** Prepares its data directory and starts it in the background. */
  start(ctx: StackContext): Promise<Started>;
  /** True when it really answers (a protocol-level request, not just an open port). */
  probe(ctx: StackContext): Promise<boolean>;
  /** Idempotent set-up once it answers (databases, search attributes); returns a note for the progress line. */
  afterReady(ctx: StackContext): Promise<string | undefined>;
  /** A live process of this stack's own data dir that has no pid file (e.g. it was deleted), if any. */
  findOrphan?(ctx: StackContext): number | undefined;
  /** Stops the process `up` started, gracefully. */
  stop(ctx: StackContext, record: PidRecord): Promise<'not-running' | 'stopped' | 'killed'>;
}
