/**
 * CPU time per process of the running system, read from /proc (utime + stime of /proc/<pid>/stat), grouped by what
 * the process is (its command line): the Temporal server, each `npm start` part, PostgreSQL (every postgres process,
 * summed), Kafka. Linux only; elsewhere `available` is false and the bench prints no CPU columns.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';

export interface ProcessSample {
  pid: number;
  group: string;
  /** utime + stime in ms. */
  cpuMs: number;
}

/**
 * Which group a command line belongs to, or undefined for a process the bench does not account. A Temporal dev
 * server on another port than `temporalPort` (someone else's) is not accounted.
 */
export function groupOf(comm: string, argv: string[], temporalPort?: number): string | undefined {
  const line = argv.join(' ');
  if (comm === 'postgres' || /(^|\/)postgres(\s|$)/.test(argv[0] ?? '')) return 'postgres';
  if (/(^|\/)java$/.test(argv[0] ?? '') && argv.includes('kafka.Kafka')) return 'kafka';
  if (/(^|\/)temporal$/.test(argv[0] ?? '') && argv.includes('start-dev')) {
    const port = argv[argv.indexOf('--port') + 1];
    return temporalPort === undefined || port === undefined || Number(port) === temporalPort
      ? 'temporal'
      : undefined;
  }
  if (!/(^|\/)node$/.test(argv[0] ?? '') && !/node/.test(comm)) return undefined;
  if (/workers\/orchestrator\/main\.[jt]s/.test(line)) return 'worker';
  if (/workers\/relay\/main\.[jt]s/.test(line)) return 'relay';
  if (/workers\/projector\/main\.[jt]s/.test(line)) return 'projector';
  if (/api\/http\/main\.[jt]s/.test(line)) return 'api';
  // the async-payment parts and npm start's supervisor (it relays every part's log lines) run beside every order too
  if (/workers\/payment-bridge\/main\.[jt]s/.test(line)) return 'bridge';
  if (/provider\/main\.[jt]s/.test(line)) return 'provider';
  if (/start\/main\.[jt]s/.test(line)) return 'supervisor';
  const launcher = /services\/launcher\.[jt]s/.test(line);
  if (launcher) {
    const at = argv.indexOf('--services');
    const names = at >= 0 ? argv[at + 1] : undefined;
    // one launcher per service (svc:<name>), or one for several (`npm start` runs all four in one process)
    return names && !names.includes(',') ? `svc:${names}` : 'services';
  }
  return undefined;
}

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** utime + stime (ms) and comm of one process, or undefined when it is gone. */
function readStat(pid: number): { comm: string; cpuMs: number } | undefined {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // comm is in parentheses and may contain spaces: the fields after it start past the last ')'
  const open = stat.indexOf('(');
  const close = stat.lastIndexOf(')');
  const comm = stat.slice(open + 1, close);
  const fields = stat
    .slice(close + 2)
    .split(' ')
    .map((f) => Number(f));
  // after comm: state(0) ppid(1) ... utime is field 14 of the line = index 11 here, stime index 12
  const ticks = fields[11] + fields[12];
  return { comm, cpuMs: (ticks * 1000) / clockTicks() };
}

function readArgv(pid: number): string[] {
  try {
    return fs
      .readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .filter((a) => a !== '');
  } catch {
    return [];
  }
}

export const cpuAccountingAvailable = fs.existsSync('/proc/self/stat');

let accountedTemporalPort: number | undefined;
/** Accounts only the Temporal dev server listening on this port (the one the system under test uses). */
export function accountTemporalPort(port: number): void {
  accountedTemporalPort = port;
}

/** Every accounted process right now. */
export function sampleProcesses(): ProcessSample[] {
  if (!cpuAccountingAvailable) return [];
  const samples: ProcessSample[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    const stat = readStat(pid);
    if (!stat) continue;
    const group = groupOf(stat.comm, readArgv(pid), accountedTemporalPort);
    if (group) samples.push({ pid, group, cpuMs: stat.cpuMs });
  }
  return samples;
}

/** CPU ms used per group between two samples (processes present in both; the bench's own process under `bench`). */
export interface CpuWindow {
  byGroup: Record<string, number>;
  /** Processes seen per group (more than one worker or API means something else is running too). */
  processes: Record<string, number>;
}

export function startCpuWindow(): () => CpuWindow {
  const before = new Map(sampleProcesses().map((s) => [s.pid, s]));
  const ownBefore = process.cpuUsage();
  return () => {
    const byGroup: Record<string, number> = {};
    const processes: Record<string, number> = {};
    for (const sample of sampleProcesses()) {
      const earlier = before.get(sample.pid);
      if (!earlier || earlier.group !== sample.group) continue;
      byGroup[sample.group] = (byGroup[sample.group] ?? 0) + (sample.cpuMs - earlier.cpuMs);
      processes[sample.group] = (processes[sample.group] ?? 0) + 1;
    }
    const own = process.cpuUsage(ownBefore);
    byGroup.bench = (own.user + own.system) / 1000;
    processes.bench = 1;
    return { byGroup, processes };
  };
}

/** Which of the expected groups have no process at all (e.g. the API is not running). */
export function missingGroups(expected: readonly string[]): string[] {
  const present = new Set(sampleProcesses().map((s) => s.group));
  return expected.filter((g) => !present.has(g));
}
