/**
 * `dtx replay`: fetch workflow histories (one workflow, a visibility query, or a history JSON file) and replay them
 * against the current workflow code — or another workflows module (`--workflows`) — reporting OK or where each
 * diverged (the DeterminismViolationError message, which names the event).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command } from 'commander';
import type { HistoryAndWorkflowId } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { badRequest, describeError, notFound } from '../../api/operations/errors';
import { REPO_ROOT } from '../../common/paths';
import { positiveInt, workflowIdOf } from '../args';
import { action, type CommandContext } from '../context';
import { EXIT } from '../exit-codes';
import { historyJson, temporalOperations, temporalWorker } from '../lazy';
import { formatTable } from '../output';

/** The workflows module the orchestrator worker runs (its source, also when the CLI runs compiled). */
export const DEFAULT_WORKFLOWS_PATH = path.join(REPO_ROOT, 'workflows', 'index.ts');

export interface ReplayOutcome {
  workflowId: string;
  runId: string;
  ok: boolean;
  /** DeterminismViolationError or ReplayError */
  errorType?: string;
  /** The whole error message. */
  message?: string;
  /** The core's one-line reason, e.g. "[TMPRL1100] Nondeterminism error: ... HistoryEvent(id: 5, ActivityTaskScheduled)". */
  detail?: string;
  /** The history event the divergence was found at, when the message names one. */
  eventId?: number;
}

interface ReplayOptions {
  query?: string;
  file?: string;
  workflowId?: string;
  workflows: string;
  limit: number;
}

/** The event id a determinism message names ("event 12", "event id 12", "HistoryEvent(id: 12"). */
export function eventIdOf(message: string): number | undefined {
  const match = /(?:event(?:\s+id)?\s*#?|HistoryEvent\(id:\s*)(\d+)/i.exec(message);
  return match ? Number(match[1]) : undefined;
}

/** The core's reason inside a replay error's message (the SDK wraps it in a long explanation). */
export function detailOf(message: string): string {
  const match = /message: "((?:[^"\\]|\\.)*)"/.exec(message);
  return match ? match[1] : message;
}

/** Histories read from an exported history file (`temporal workflow show -o json`, or the UI's JSON download). */
export function historiesFromFile(file: string, workflowId?: string): HistoryAndWorkflowId[] {
  const { historyFromJSON } = historyJson();
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw badRequest(`cannot read history file ${file}: ${describeError(error)}`);
  }
  const id = workflowId ?? path.basename(file).replace(/\.json$/i, '');
  try {
    return [{ workflowId: id, history: historyFromJSON(parsed) }];
  } catch (error) {
    throw badRequest(`${file} is not a workflow history: ${describeError(error)}`);
  }
}

async function* limited<T>(source: AsyncIterable<T>, limit: number): AsyncIterable<T> {
  let count = 0;
  for await (const item of source) {
    if (count++ >= limit) return;
    yield item;
  }
}

/** Where the histories come from, by the options given. */
function historySource(
  context: CommandContext,
  id: string | undefined,
  options: ReplayOptions,
): AsyncIterable<HistoryAndWorkflowId> | HistoryAndWorkflowId[] {
  const sources = [id !== undefined, options.query !== undefined, options.file !== undefined].filter(
    Boolean,
  ).length;
  if (sources !== 1) throw badRequest('give exactly one of: a workflow id, --query, --file');
  if (options.file !== undefined) return historiesFromFile(options.file, options.workflowId);
  const client = context.deps().temporal.client;
  const { temporalCall } = temporalOperations();
  if (options.query !== undefined)
    return limited(client.workflow.list({ query: options.query }).intoHistories(), options.limit);
  const workflowId = workflowIdOf(id as string);
  return (async function* () {
    const history = await temporalCall(workflowId, () =>
      client.workflow.getHandle(workflowId).fetchHistory(),
    );
    yield { workflowId, history };
  })();
}

/**
 * The MarkerRecorded event of the patch a divergence names: the core says "patch marker encountered for change X"
 * without an event id, and the history has the marker.
 */
export function patchMarkerEventId(
  history: temporal.api.history.v1.IHistory,
  message: string,
): number | undefined {
  const change = /patch marker encountered for change ([^,\s]+)/i.exec(message)?.[1];
  if (change === undefined) return undefined;
  const marker = history.events?.find((event) => {
    const attributes = event.markerRecordedEventAttributes;
    if (attributes?.markerName !== 'core_patch') return false;
    // the patch id is in the marker's JSON payload ({"id": "<change>", ...})
    return Object.values(attributes.details ?? {}).some((payloads) =>
      (payloads.payloads ?? []).some(
        (p) => !!p.data && Buffer.from(p.data).toString('utf8').includes(`"${change}"`),
      ),
    );
  });
  return marker?.eventId == null ? undefined : Number(marker.eventId);
}

/** Replays every history against the workflows module; one outcome per history. */
export async function replayHistories(
  histories: AsyncIterable<HistoryAndWorkflowId> | HistoryAndWorkflowId[],
  workflowsPath: string,
): Promise<ReplayOutcome[]> {
  // kept by workflow id, to point at the event of a divergence the core's message does not name
  const seen = new Map<string, temporal.api.history.v1.IHistory>();
  async function* remembered(): AsyncIterable<HistoryAndWorkflowId> {
    for await (const item of histories as AsyncIterable<HistoryAndWorkflowId>) {
      seen.set(item.workflowId, item.history as temporal.api.history.v1.IHistory); // the SDK types it loosely
      yield item;
    }
  }
  const outcomes: ReplayOutcome[] = [];
  const { Worker } = temporalWorker();
  for await (const result of Worker.runReplayHistories(
    { workflowsPath, replayName: 'dtx-replay' },
    remembered(),
  )) {
    const outcome: ReplayOutcome = {
      workflowId: result.workflowId,
      runId: result.runId,
      ok: result.error === undefined,
    };
    if (result.error !== undefined) {
      outcome.errorType = result.error.name;
      outcome.message = result.error.message;
      outcome.detail = detailOf(result.error.message);
      const history = seen.get(result.workflowId);
      const eventId =
        eventIdOf(result.error.message) ??
        (history ? patchMarkerEventId(history, result.error.message) : undefined);
      if (eventId !== undefined) outcome.eventId = eventId;
    }
    outcomes.push(outcome);
  }
  return outcomes;
}

function render(outcomes: ReplayOutcome[]): string {
  const table = formatTable(outcomes, [
    { header: 'workflow', value: (o) => o.workflowId },
    { header: 'run', value: (o) => o.runId },
    { header: 'replay', value: (o) => (o.ok ? 'OK' : 'DIVERGED') },
    {
      header: 'where',
      value: (o) => (o.ok ? '' : `${o.eventId !== undefined ? `event ${o.eventId}: ` : ''}${o.detail ?? ''}`),
    },
  ]);
  const diverged = outcomes.filter((o) => !o.ok).length;
  return `${table}\n\n${diverged === 0 ? `OK: ${outcomes.length} replayed, none diverged` : `${diverged} of ${outcomes.length} diverged`}`;
}

export function replayCommand(): Command {
  return new Command('replay')
    .description(
      'replay workflow histories against the current workflow code; report OK or where each diverged',
    )
    .argument('[workflowId]', 'one workflow (its latest run), by workflow id or order id')
    .option(
      '--query <visibility query>',
      'every workflow a visibility query lists, e.g. "TxStatus = \'COMPENSATED\'"',
    )
    .option('--file <history.json>', 'a history exported as JSON (temporal workflow show -o json, or the UI)')
    .option('--workflow-id <id>', 'the workflow id to report for --file (default: the file name)')
    .option('--workflows <path>', 'the workflows module to replay against', DEFAULT_WORKFLOWS_PATH)
    .option('--limit <n>', 'at most this many histories with --query', positiveInt, 100)
    .addHelpText(
      'after',
      '\nExit 0 when every history replays, 1 when one diverged, 3 when there is nothing to replay.',
    )
    .action(
      action(async (context, id: string | undefined, options: ReplayOptions) => {
        const workflowsPath = path.resolve(options.workflows);
        if (!fs.existsSync(workflowsPath)) throw badRequest(`--workflows: ${workflowsPath} does not exist`);
        const histories = historySource(context, id, options);
        const { DefaultLogger, makeTelemetryFilterString, Runtime } = temporalWorker();
        // the replay worker's own logs (core's included: forwarded, not printed on stdout) would drown the report
        Runtime.install({
          logger: new DefaultLogger('ERROR', ({ level, message }) =>
            process.stderr.write(`${level} ${message}\n`),
          ),
          telemetryOptions: {
            logging: { filter: makeTelemetryFilterString({ core: 'ERROR', other: 'ERROR' }), forward: {} },
          },
        });
        const outcomes = await context.out.progress('bundling the workflows and replaying', () =>
          replayHistories(histories, workflowsPath),
        );
        if (outcomes.length === 0) throw notFound('no workflow history to replay');
        context.out.result({ workflowsPath, outcomes }, () => render(outcomes));
        return outcomes.every((o) => o.ok) ? EXIT.OK : EXIT.FAILED;
      }),
    );
}
