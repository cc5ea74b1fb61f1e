/** Process helpers: pid files that survive pid reuse, detached start, graceful stop, streamed commands. */
import { setTimeout as sleep } from 'node:timers/promises';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** What a pid file records: enough to tell later whether the pid is still the process we started. */
export interface PidRecord {
  pid: number;
  /** Start time in clock ticks since boot (/proc/<pid>/stat field 22); a reused pid has another one. */
  startTicks?: string;
  command: string;
  startedAt: string;
}

/** Fields of /proc/<pid>/stat after the command name (which may contain spaces). */
function procStatFields(pid: number): string[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** The process's start time in ticks since boot, or undefined when there is no /proc entry. */
export function processStartTicks(pid: number): string | undefined {
  // Field 22 overall = index 19 after the "pid (comm)" prefix (field 3, the state, is index 0).
  return procStatFields(pid)?.[19];
}

/** The command line of a process, space-joined, or undefined. */
export function processCommandLine(pid: number): string | undefined {
  try {
    const raw = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return raw.split('\0').filter(Boolean).join(' ') || undefined;
  } catch {
    return undefined;
  }
}

/** True when the pid exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return procStatFields(pid)?.[0] !== 'Z';
}

/** True when the recorded process still runs (same pid and same start time). */
export function isSameProcess(record: PidRecord): boolean {
  if (!isAlive(record.pid)) return false;
  const ticks = processStartTicks(record.pid);
  return record.startTicks === undefined || ticks === undefined || ticks === record.startTicks;
}

export function writePidFile(file: string, pid: number, command: string): PidRecord {
  const record: PidRecord = {
    pid,
    startTicks: processStartTicks(pid),
    command,
    startedAt: new Date().toISOString(),
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(record)}\n`);
  return record;
}

export function readPidFile(file: string): PidRecord | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as Partial<PidRecord>;
    if (typeof parsed.pid !== 'number' || !Number.isInteger(parsed.pid) || parsed.pid <= 0) return undefined;
    return {
      pid: parsed.pid,
      startTicks: parsed.startTicks,
      command: parsed.command ?? '',
      startedAt: parsed.startedAt ?? '',
    };
  } catch {
    return undefined;
  }
}

export function removeFile(file: string): void {
  fs.rmSync(file, { force: true });
}

/** A process started in its own session, writing stdout+stderr to a log file (appended). */
export interface DetachedProcess {
  pid: number;
  /** Resolves with the exit code/signal when the process ends while this node process still runs. */
  exited: Promise<string>;
}

export function spawnDetached(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; logFile: string },
): DetachedProcess {
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const logFd = fs.openSync(options.logFile, 'a');
  try {
    fs.writeSync(
      logFd,
      `\n==== dtx stack: ${new Date().toISOString()} starting: ${command} ${args.join(' ')}\n`,
    );
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', logFd, logFd],
    });
    const exited = new Promise<string>((resolve) => {
      child.once('exit', (code, signal) =>
        resolve(signal ? `was killed by ${signal}` : `exited with code ${code}`),
      );
      child.once('error', (error) => resolve(`could not start: ${error.message}`));
    });
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${command}`);
    return { pid: child.pid, exited };
  } finally {
    fs.closeSync(logFd);
  }
}

/**
 * Stops a recorded process: `signal` (SIGTERM by default), up to `graceMs` to exit, then SIGKILL.
 * With `group`, signals its whole process group (processes we started detached lead their own group).
 * Returns how it ended.
 */
export async function stopProcess(
  record: PidRecord,
  options: { graceMs: number; group: boolean; signal?: NodeJS.Signals },
): Promise<'not-running' | 'stopped' | 'killed'> {
  if (!isSameProcess(record)) return 'not-running';
  const target = options.group ? -record.pid : record.pid;
  const send = (signal: NodeJS.Signals) => {
    try {
      process.kill(target, signal);
    } catch {
      // already gone
    }
  };
  send(options.signal ?? 'SIGTERM');
  const deadline = Date.now() + options.graceMs;
  while (Date.now() < deadline) {
    if (!isSameProcess(record)) return 'stopped';
    await sleep(200);
  }
  send('SIGKILL');
  for (let i = 0; i < 25 && isSameProcess(record); i++) await sleep(200);
  return 'killed';
}

// eslint-disable-next-line no-control-regex -- matching the ESC of colour codes is the point
const ANSI_COLOUR = /\u001b\[[0-9;]*m/g;

/** Commands running right now (killed when the stack command itself is interrupted). */
const activeCommands = new Set<ChildProcess>();

/** Sends `signal` to every command started by runCommand that is still running. */
export function killActiveCommands(signal: NodeJS.Signals = 'SIGTERM'): void {
  for (const child of activeCommands) child.kill(signal);
}

export interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines of stdout+stderr, for error messages. */
  tail: string[];
}

/**
 * Runs a command to completion, calling `onLine` for each output line and `onHeartbeat` every
 * `heartbeatMs` so that a long step never sits silent.
 */
export function runCommand(
  command: string,
  args: string[],
  options: {
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    onLine?: (line: string) => void;
    heartbeatMs?: number;
    onHeartbeat?: (elapsedMs: number) => void;
    tailLines?: number;
  } = {},
): Promise<CommandResult> {
  const tail: string[] = [];
  const keep = options.tailLines ?? 30;
  return new Promise((resolve) => {
    const startedAt = Date.now();
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    activeCommands.add(child);
    const heartbeat =
      options.heartbeatMs && options.onHeartbeat
        ? setInterval(() => options.onHeartbeat?.(Date.now() - startedAt), options.heartbeatMs)
        : undefined;
    const collect = (stream: NodeJS.ReadableStream) => {
      let pending = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) handle(line);
      });
      stream.on('end', () => {
        if (pending !== '') handle(pending);
      });
    };
    const handle = (rawLine: string) => {
      // Maven colours its output even in batch mode; keep the text only.
      const line = rawLine.replace(/\r$/, '').replace(ANSI_COLOUR, '');
      if (line.trim() === '') return;
      tail.push(line);
      if (tail.length > keep) tail.shift();
      options.onLine?.(line);
    };
    collect(child.stdout);
    collect(child.stderr);
    child.once('error', (error) => {
      tail.push(error.message);
    });
    child.once('close', (code, signal) => {
      activeCommands.delete(child);
      if (heartbeat) clearInterval(heartbeat);
      resolve({ code, signal, tail });
    });
  });
}

/** The absolute path of an executable on PATH, or undefined. */
export function which(tool: string, envPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of envPath.split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, tool);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The last `count` lines of a file (for error messages), or [] when it cannot be read. */
export function fileTail(file: string, count: number): string[] {
  try {
    const size = fs.statSync(file).size;
    const length = Math.min(size, 64 * 1024);
    const buffer = Buffer.alloc(length);
    const fd = fs.openSync(file, 'r');
    try {
      fs.readSync(fd, buffer, 0, length, size - length);
    } finally {
      fs.closeSync(fd);
    }
    return buffer
      .toString('utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .slice(-count);
  } catch {
    return [];
  }
}
