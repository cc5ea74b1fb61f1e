/**
 * `npm start` (via start/start.sh): the main job. Stack up (if needed) → migrations → the four services, worker,
 * relay, projector and API as one supervised process tree → first-run seed → banner once everything is ready.
 * Ctrl-C (SIGINT/SIGTERM) stops the parts in order; a second Ctrl-C kills them. The stack keeps running.
 * `npm start -- --raw-logs` shows the parts' JSON log lines as they are. `npm start -- --tracing` (or DTX_TRACING=1)
 * also starts Zipkin and has every part export its spans to it (start/tracing.ts).
 */
import { ConfigError, loadConfig } from '../common/config';
import { REPO_ROOT } from '../common/paths';
import { bannerLines } from './banner';
import { exportToLocalZipkin, placeDemoOrder } from './tracing';
import { compactLine } from './log-lines';
import { dtxParts, PART_GROUPS } from './parts';
import { assertPartAddressesFree, ensureStack, migrateAll, seedOnFirstRun, StartError } from './prepare';
import { PartFailedError, Supervisor } from './supervisor';
import { StackError } from '../stack';

/** Run from dist/ (start/start.sh builds it), the parts run compiled too; run from source, through tsx. */
const COMPILED_DIR = __filename.endsWith('.js') ? 'dist' : undefined;
/** Services answer within seconds; the worker bundles the workflow code first (slow on a busy machine). */
const SERVICES_READY_TIMEOUT_MS = 120_000;
const ALL_READY_TIMEOUT_MS = 300_000;
/** Signals closer together than this are one Ctrl-C (npm and the terminal may both deliver it). */
const SIGNAL_DEBOUNCE_MS = 1_500;
/** Lines of a failed part repeated under the failure. */
const LAST_LINES_SHOWN = 6;

async function main(): Promise<number> {
  if (process.argv.includes('--tracing')) process.env.DTX_TRACING = '1';
  const config = loadConfig();
  // the parts inherit this environment: the OTEL_* variables for the local Zipkin (stack up starts it)
  const tracing = config.tracing.enabled ? exportToLocalZipkin(config, process.env) : undefined;
  const colour = process.stdout.isTTY === true && !('NO_COLOR' in process.env);
  const { parts, close: closeProbes } = dtxParts(config);
  const supervisor = new Supervisor({
    parts,
    cwd: REPO_ROOT,
    compiledDir: COMPILED_DIR,
    style: { colour, raw: process.argv.includes('--raw-logs') },
  });
  const report = (text: string) => supervisor.report(text);

  let started = false;
  let firstSignalAt = 0;
  let stopRequested: (signal: string) => void = () => undefined;
  const stopped = new Promise<string>((resolve) => (stopRequested = resolve));
  /** A stop request; a later signal (not a repeat of the same Ctrl-C) kills the parts at once. */
  const onSignal = (why: string, escalate = true) => {
    const now = Date.now();
    if (firstSignalAt === 0) {
      firstSignalAt = now;
      if (!started) {
        report(`${why} before any part started; exiting (the stack keeps running)`);
        process.exit(130);
      }
      report(`${why}: stopping dtx (Ctrl-C again to kill the parts at once)`);
      stopRequested(why);
    } else if (escalate && now - firstSignalAt > SIGNAL_DEBOUNCE_MS) {
      report(`${why} again: killing every part now`);
      supervisor.killAll('SIGKILL');
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => onSignal(signal));
  // the parts run in their own process groups: if whatever started us dies without signalling us (e.g. `kill` of
  // npm, whose shell does not pass signals on), stop them instead of leaving them behind
  const parentPid = process.ppid;
  const parentWatch = setInterval(() => {
    if (process.ppid === parentPid) return;
    clearInterval(parentWatch);
    onSignal(`parent process ${parentPid} exited`, false);
  }, 1_000);
  parentWatch.unref();

  const finish = async (code: number): Promise<number> => {
    await supervisor.shutdown();
    await closeProbes();
    report(
      'dtx stopped. The stack (Temporal, Kafka, PostgreSQL) keeps running; `npm run stack -- down` stops it.',
    );
    return code;
  };

  await assertPartAddressesFree(config);
  await ensureStack(config, { line: (scope, text) => supervisor.report(`${scope}: ${text}`) });
  if (tracing) report(`tracing: ${tracing}`);
  await migrateAll(config, report);

  const all = [...PART_GROUPS.services, ...PART_GROUPS.workers, ...PART_GROUPS.api];
  started = true;
  supervisor.start(all);
  try {
    await Promise.race([supervisor.waitReady(PART_GROUPS.services, SERVICES_READY_TIMEOUT_MS), stopped]);
    if (firstSignalAt === 0) await seedOnFirstRun(config, report);
    await Promise.race([supervisor.waitReady(all, ALL_READY_TIMEOUT_MS), stopped]);
  } catch (error) {
    if (firstSignalAt !== 0) return finish(0);
    if (error instanceof PartFailedError) {
      report(`start failed: ${error.message}; its last lines:`);
      for (const line of error.lastLines.slice(-LAST_LINES_SHOWN))
        report(`  ${error.part}| ${compactLine(line, false)}`);
    } else {
      report(`start failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    return finish(1);
  }
  // with tracing: one demo order, so the banner has a trace to open
  const demoTrace = tracing && firstSignalAt === 0 ? await placeDemoOrder(config, report) : undefined;
  if (firstSignalAt === 0) process.stdout.write(`${bannerLines(config, all, demoTrace).join('\n')}\n`);
  await stopped;
  return finish(0);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known = error instanceof StackError || error instanceof ConfigError || error instanceof StartError;
    const detail =
      error instanceof Error ? (known ? error.message : (error.stack ?? error.message)) : String(error);
    process.stderr.write(`npm start: FAILED\n${detail}\n`);
    process.exit(1);
  },
);
