/**
 * A small process supervisor: runs parts as child Node processes (compiled, or TypeScript through tsx), prefixes their output,
 * restarts a crashed part with capped backoff for as long as it runs (never giving up: a part that keeps crashing is
 * reported as flapping, loudly, and still restarted), tells when each part is ready, and stops them in stages
 * (SIGTERM, then SIGKILL after a timeout). Children run in their own process groups, so a terminal's Ctrl-C reaches
 * only the supervisor, which then stops them in order.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { LineSplitter, Prefixer, type LineStyle } from './log-lines';

/** When a part counts as ready: a probe that answers true, or a log message it prints. */
export type Readiness =
  | { kind: 'probe'; what: string; check(pid: number): Promise<boolean> }
  | { kind: 'log'; what: string; message: RegExp };

export interface PartSpec {
  name: string;
  /**
   * TypeScript entry point relative to the working directory, run as `node --import tsx <script> <args>`, or its
   * compiled JavaScript under SupervisorOptions.compiledDir.
   */
  script: string;
  args?: string[];
  readiness: Readiness;
  /** Shutdown order: stage 0 stops first, then 1, ...; parts of one stage stop together. */
  stopStage: number;
  /** How long a part may take to exit after SIGTERM before it is killed. */
  stopTimeoutMs: number;
}

export interface RestartPolicy {
  /** First restart delay; doubles with each rapid crash. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** A run shorter than this is a rapid crash; a longer one resets the count. */
  stableAfterMs: number;
  /**
   * Rapid crashes in a row that make a part "flapping": a warning line then and again every as many crashes after.
   * Restarts go on regardless; only waitReady (start-up) fails on a flapping part that was never ready.
   */
  flappingAfter: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  backoffBaseMs: 1_000,
  backoffMaxMs: 30_000,
  stableAfterMs: 30_000,
  flappingAfter: 5,
};

export interface SupervisorOptions {
  parts: PartSpec[];
  /** Working directory of every child (the repository root). */
  cwd: string;
  /** Run each part's compiled script under this folder (`npm run build`'s dist/) instead of its .ts through tsx. */
  compiledDir?: string;
  style: LineStyle;
  /** Where every line goes (default: stdout). */
  write?: (line: string) => void;
  restart?: Partial<RestartPolicy>;
  /** The supervisor's own prefix. */
  selfName?: string;
}

export type PartState = 'idle' | 'running' | 'restarting' | 'stopping' | 'stopped';

/** Start-up failed: a part kept crashing before it was ever ready, or did not become ready in time. */
export class PartFailedError extends Error {
  constructor(
    readonly part: string,
    message: string,
    readonly lastLines: string[],
  ) {
    super(message);
    this.name = 'PartFailedError';
  }
}

const LAST_LINES_KEPT = 20;
const PROBE_INTERVAL_MS = 500;

/** True when `promise` settles within `ms`, false otherwise (the timer does not outlive the race). */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** "12:00:01" */
function clockNow(): string {
  return new Date().toTimeString().slice(0, 8);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** One supervised part: its current child, state and crash history. */
class Part {
  child?: ChildProcess;
  state: PartState = 'idle';
  ready = false;
  /** Ready at least once since the supervisor started it (a part that never was cannot be waited for at start-up). */
  everReady = false;
  /** Rapid crashes in a row. */
  rapidCrashes = 0;
  /** When the first run of the current rapid-crash streak started. */
  streakStartedAt = 0;
  /** Restarts so far (for reports). */
  restarts = 0;
  startedAt = 0;
  restartTimer?: NodeJS.Timeout;
  exited?: Promise<void>;
  readonly lastLines: string[] = [];

  constructor(readonly spec: PartSpec) {}

  remember(line: string): void {
    this.lastLines.push(line);
    if (this.lastLines.length > LAST_LINES_KEPT) this.lastLines.shift();
  }

  get alive(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }
}

export class Supervisor {
  private readonly parts = new Map<string, Part>();
  private readonly prefixer: Prefixer;
  private readonly policy: RestartPolicy;
  private readonly selfName: string;
  private readonly write: (line: string) => void;
  private stopping = false;
  private shutdownDone?: Promise<void>;

  constructor(private readonly options: SupervisorOptions) {
    this.selfName = options.selfName ?? 'main';
    this.policy = { ...DEFAULT_RESTART_POLICY, ...options.restart };
    this.write = options.write ?? ((line) => process.stdout.write(`${line}\n`));
    for (const spec of options.parts) this.parts.set(spec.name, new Part(spec));
    this.prefixer = new Prefixer([this.selfName, ...options.parts.map((p) => p.name)], options.style);
    // last resort when this process exits without a shutdown (an uncaught error): children must not outlive it
    process.once('exit', () => this.killAll('SIGKILL'));
  }

  /** A line of the supervisor's own. */
  report(text: string): void {
    this.write(this.prefixer.format(this.selfName, text));
  }

  /** Starts the named parts (all when none are named). */
  start(names: string[] = [...this.parts.keys()]): void {
    for (const name of names) this.spawnPart(this.part(name));
  }

  /**
   * Resolves when every named part is ready. The start-up gate: rejects with PartFailedError when one is flapping
   * without ever having been ready (a broken part, not a transient crash; the caller stops everything) or when one
   * is not ready in time. The supervisor itself keeps restarting the part either way.
   */
  async waitReady(names: string[], timeoutMs: number): Promise<void> {
    const parts = names.map((name) => this.part(name));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const failed = parts.find((part) => !part.everReady && this.isFlapping(part));
      if (failed) {
        throw new PartFailedError(
          failed.spec.name,
          `${failed.spec.name} crashed ${failed.rapidCrashes} times in a row without ever becoming ready`,
          failed.lastLines,
        );
      }
      if (parts.every((part) => part.ready)) return;
      if (this.stopping) throw new Error('shutting down');
      if (Date.now() > deadline) {
        const late = parts.find((part) => !part.ready)!;
        throw new PartFailedError(
          late.spec.name,
          `${late.spec.name} was not ready within ${seconds(timeoutMs)} (waiting for: ${late.spec.readiness.what})`,
          late.lastLines,
        );
      }
      await sleep(200);
    }
  }

  /** Stops every part, stage by stage; idempotent (later calls wait for the first). */
  shutdown(): Promise<void> {
    this.shutdownDone ??= this.runShutdown();
    return this.shutdownDone;
  }

  /** Each part: its current child's pid (while alive), state, readiness, restarts so far and whether it is flapping. */
  status(): {
    name: string;
    pid?: number;
    state: PartState;
    ready: boolean;
    restarts: number;
    flapping: boolean;
  }[] {
    return [...this.parts.values()].map((part) => ({
      name: part.spec.name,
      pid: part.alive ? part.child?.pid : undefined,
      state: part.state,
      ready: part.ready,
      restarts: part.restarts,
      flapping: this.isFlapping(part),
    }));
  }

  /** Sends `signal` to every live child's process group at once (a second Ctrl-C). */
  killAll(signal: NodeJS.Signals): void {
    for (const part of this.parts.values()) if (part.alive) this.signalPart(part, signal);
  }

  private isFlapping(part: Part): boolean {
    return part.rapidCrashes >= this.policy.flappingAfter;
  }

  private part(name: string): Part {
    const part = this.parts.get(name);
    if (!part) throw new Error(`unknown part "${name}"`);
    return part;
  }

  /** Node's arguments that run `script`: dist/x/y.js for x/y.ts when compiled, else the .ts through tsx. */
  private entryPoint(script: string): string[] {
    const { compiledDir } = this.options;
    if (compiledDir === undefined) return ['--import', 'tsx', script];
    return ['--enable-source-maps', path.join(compiledDir, script.replace(/\.ts$/, '.js'))];
  }

  private spawnPart(part: Part): void {
    const { spec } = part;
    part.state = 'running';
    part.ready = false;
    part.startedAt = Date.now();
    const child = spawn(process.execPath, [...this.entryPoint(spec.script), ...(spec.args ?? [])], {
      cwd: this.options.cwd,
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // its own process group: the terminal's Ctrl-C goes to the supervisor only, which stops parts in order
      detached: true,
    });
    part.child = child;
    for (const stream of [child.stdout, child.stderr]) {
      const splitter = new LineSplitter();
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => splitter.push(chunk).forEach((line) => this.onLine(part, line)));
      stream.on('end', () => splitter.flush().forEach((line) => this.onLine(part, line)));
    }
    part.exited = new Promise((resolve) => {
      child.once('close', (code, signal) => {
        resolve();
        this.onExit(part, child, code, signal);
      });
      child.once('error', (error) => {
        this.report(`${spec.name}: could not start (${error.message})`);
      });
    });
    if (spec.readiness.kind === 'probe') void this.probeUntilReady(part, child, spec.readiness);
  }

  private onLine(part: Part, line: string): void {
    part.remember(line);
    this.write(this.prefixer.format(part.spec.name, line));
    const { readiness } = part.spec;
    if (!part.ready && readiness.kind === 'log' && readiness.message.test(line)) this.markReady(part);
  }

  private markReady(part: Part): void {
    part.ready = true;
    part.everReady = true;
    const again = part.restarts > 0 ? ' again' : '';
    this.report(
      `${part.spec.name} ready${again} (${part.spec.readiness.what}) after ${seconds(Date.now() - part.startedAt)}`,
    );
  }

  private async probeUntilReady(
    part: Part,
    child: ChildProcess,
    readiness: Extract<Readiness, { kind: 'probe' }>,
  ): Promise<void> {
    while (part.child === child && part.alive && !part.ready) {
      let ok = false;
      try {
        ok = await readiness.check(child.pid ?? -1);
      } catch {
        ok = false; // not answering yet
      }
      if (ok && part.child === child && part.alive) {
        this.markReady(part);
        return;
      }
      await sleep(PROBE_INTERVAL_MS);
    }
  }

  private onExit(part: Part, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (part.child !== child) return;
    part.ready = false;
    const how = signal ? `signal ${signal}` : `code ${code ?? '?'}`;
    if (this.stopping || part.state === 'stopping') {
      part.state = 'stopped';
      return;
    }
    const now = Date.now();
    const ranMs = now - part.startedAt;
    // a run that lasted starts a new streak (this crash is its first)
    if (ranMs >= this.policy.stableAfterMs || part.rapidCrashes === 0) {
      part.rapidCrashes = 0;
      part.streakStartedAt = part.startedAt;
    }
    part.rapidCrashes += 1;
    const exited = `${part.spec.name} exited with ${how} at ${clockNow()} after running ${seconds(ranMs)}`;
    // capped: 2 ** n overflows to Infinity for a long streak, which min() turns into the cap
    const delay = Math.min(
      this.policy.backoffBaseMs * 2 ** (part.rapidCrashes - 1),
      this.policy.backoffMaxMs,
    );
    part.state = 'restarting';
    part.restarts += 1;
    this.report(
      `${exited}; restarting it in ${seconds(delay)} (restart ${part.restarts}; rapid crash ${part.rapidCrashes})`,
    );
    // loud, but not on every crash: when the streak reaches the threshold and every as many crashes after
    if (part.rapidCrashes % this.policy.flappingAfter === 0) {
      const cadence =
        delay >= this.policy.backoffMaxMs
          ? `still restarting every ${seconds(delay)}`
          : `still restarting, next in ${seconds(delay)}, backing off to every ${seconds(this.policy.backoffMaxMs)}`;
      this.report(
        `WARNING: ${part.spec.name} is flapping: ${part.rapidCrashes} crashes within ` +
          `${seconds(now - part.streakStartedAt)}, each within ${seconds(this.policy.stableAfterMs)} of starting; ` +
          `${cadence} (its last output is above)`,
      );
    }
    part.restartTimer = setTimeout(() => {
      part.restartTimer = undefined;
      if (!this.stopping) this.spawnPart(part);
    }, delay);
  }

  private signalPart(part: Part, signal: NodeJS.Signals): void {
    const pid = part.child?.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal); // the whole process group of the part
    } catch {
      // already gone
    }
  }

  private async stopPart(part: Part): Promise<void> {
    if (part.restartTimer) clearTimeout(part.restartTimer);
    if (!part.alive) {
      part.state = 'stopped';
      return;
    }
    const startedAt = Date.now();
    part.state = 'stopping';
    this.signalPart(part, 'SIGTERM');
    const exited = part.exited ?? Promise.resolve();
    const inTime = await settlesWithin(exited, part.spec.stopTimeoutMs);
    if (inTime) {
      const child = part.child!;
      const how = child.signalCode ? `signal ${child.signalCode}` : `code ${child.exitCode ?? '?'}`;
      this.report(`${part.spec.name} stopped (${how}) in ${seconds(Date.now() - startedAt)}`);
      return;
    }
    this.report(
      `${part.spec.name} did not stop within ${seconds(part.spec.stopTimeoutMs)} of SIGTERM; sending SIGKILL`,
    );
    this.signalPart(part, 'SIGKILL');
    await settlesWithin(exited, 5_000);
  }

  private async runShutdown(): Promise<void> {
    this.stopping = true;
    const stages = [...new Set([...this.parts.values()].map((part) => part.spec.stopStage))].sort(
      (a, b) => a - b,
    );
    for (const stage of stages) {
      const parts = [...this.parts.values()].filter((part) => part.spec.stopStage === stage);
      const live = parts.filter((part) => part.alive);
      if (live.length > 0) this.report(`stopping ${live.map((part) => part.spec.name).join(', ')}`);
      await Promise.all(parts.map((part) => this.stopPart(part)));
    }
  }
}
