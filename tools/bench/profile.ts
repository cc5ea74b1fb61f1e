/**
 * `bench:saga --profile`: where one order's time went, read from its workflow history — per workflow task the queue
 * wait (scheduled→started) and run time (started→completed), per remote activity the queue wait and run time, per
 * local activity (a marker recorded by the workflow task that ran it) its run time from the marker's own data.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
// Not re-exported from the package index; the SDK's own Timestamp → ms conversion.
import { optionalTsToMs } from '@temporalio/common/lib/time';

// @temporalio/proto is not a direct dependency: the event type as fetchHistory returns it.
type HistoryEvent = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>[number];

export interface ProfileLine {
  /** ms since the workflow started. */
  at: number;
  what: string;
  queuedMs?: number;
  ranMs?: number;
}

export interface OrderProfile {
  workflowId: string;
  totalMs: number;
  lines: ProfileLine[];
  sums: {
    workflowTasks: number;
    wftQueuedMs: number;
    wftRanMs: number;
    activities: number;
    actQueuedMs: number;
    actRanMs: number;
  };
}

const ms = (event: HistoryEvent | undefined): number => optionalTsToMs(event?.eventTime) ?? NaN;

/** The local activity marker's JSON data (sdk-core): activity type and its own schedule/complete times. */
interface MarkerData {
  activity_type?: string;
  activityType?: string;
  complete_time?: unknown;
  original_schedule_time?: unknown;
}

function protoTimeMs(value: unknown): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return Date.parse(value);
  if (typeof value === 'object') {
    const { seconds, nanos } = value as { seconds?: number | string; nanos?: number };
    if (seconds === undefined) return undefined;
    return Number(seconds) * 1000 + Math.round((nanos ?? 0) / 1e6);
  }
  return undefined;
}

function markerData(event: HistoryEvent): MarkerData | undefined {
  const payload = event.markerRecordedEventAttributes?.details?.data?.payloads?.[0];
  if (!payload?.data) return undefined;
  try {
    return JSON.parse(Buffer.from(payload.data).toString('utf8')) as MarkerData;
  } catch {
    return undefined;
  }
}

function summaryOf(event: HistoryEvent): string | undefined {
  const data = event.userMetadata?.summary?.data;
  if (!data) return undefined;
  try {
    return JSON.parse(Buffer.from(data).toString('utf8')) as string;
  } catch {
    return undefined;
  }
}

export async function profileWorkflow(client: Client, workflowId: string): Promise<OrderProfile> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const byId = new Map(events.map((e) => [Number(e.eventId), e]));
  const t0 = ms(events[0]);
  const lines: ProfileLine[] = [];
  const sums = { workflowTasks: 0, wftQueuedMs: 0, wftRanMs: 0, activities: 0, actQueuedMs: 0, actRanMs: 0 };
  let wft = 0;
  for (const event of events) {
    const wftDone = event.workflowTaskCompletedEventAttributes ?? event.workflowTaskFailedEventAttributes;
    const timedOut = event.workflowTaskTimedOutEventAttributes;
    if (wftDone || timedOut) {
      const attrs = wftDone ?? timedOut;
      const started = byId.get(Number(attrs?.startedEventId));
      const scheduled = byId.get(Number(attrs?.scheduledEventId));
      wft += 1;
      const queuedMs = ms(started) - ms(scheduled);
      const ranMs = ms(event) - ms(started);
      sums.workflowTasks += 1;
      sums.wftQueuedMs += queuedMs;
      sums.wftRanMs += ranMs;
      const how = timedOut ? ' TIMED OUT' : event.workflowTaskFailedEventAttributes ? ' FAILED' : '';
      lines.push({ at: ms(scheduled) - t0, what: `workflow task ${wft}${how}`, queuedMs, ranMs });
    }
    const actDone =
      event.activityTaskCompletedEventAttributes ??
      event.activityTaskFailedEventAttributes ??
      event.activityTaskTimedOutEventAttributes ??
      event.activityTaskCanceledEventAttributes;
    if (actDone) {
      const scheduled = byId.get(Number(actDone.scheduledEventId));
      const started = byId.get(Number(actDone.startedEventId));
      const type = scheduled?.activityTaskScheduledEventAttributes?.activityType?.name ?? '?';
      const queuedMs = ms(started) - ms(scheduled);
      const ranMs = ms(event) - ms(started);
      sums.activities += 1;
      sums.actQueuedMs += queuedMs;
      sums.actRanMs += ranMs;
      lines.push({ at: ms(scheduled) - t0, what: `activity ${type}`, queuedMs, ranMs });
    }
    if (event.markerRecordedEventAttributes?.markerName === 'core_local_activity') {
      const data = markerData(event);
      const scheduledAt = protoTimeMs(data?.original_schedule_time);
      const completedAt = protoTimeMs(data?.complete_time);
      const type = data?.activity_type ?? data?.activityType ?? summaryOf(event) ?? '?';
      // complete_time is the worker's clock at resolution; for the first call of a task it can read before the schedule
      const ranMs =
        scheduledAt !== undefined && completedAt !== undefined && completedAt >= scheduledAt
          ? completedAt - scheduledAt
          : undefined;
      sums.activities += 1;
      if (ranMs !== undefined) sums.actRanMs += ranMs;
      lines.push({
        at: (scheduledAt ?? ms(event)) - t0,
        what: `local activity ${type} (in workflow task ${wft})`,
        ranMs,
      });
    }
  }
  lines.sort((a, b) => a.at - b.at);
  return { workflowId, totalMs: ms(events[events.length - 1]) - t0, lines, sums };
}

export function formatProfile(title: string, profile: OrderProfile): string[] {
  const out = [`${title}: ${profile.workflowId}, ${Math.round(profile.totalMs)} ms start→close`];
  for (const line of profile.lines) {
    const queued = line.queuedMs === undefined ? '' : `queued ${Math.round(line.queuedMs)} ms`;
    const ran = line.ranMs === undefined ? '' : `ran ${Math.round(line.ranMs)} ms`;
    out.push(
      `  +${String(Math.round(line.at)).padStart(5)} ms  ${line.what.padEnd(58)} ${queued.padEnd(16)} ${ran}`,
    );
  }
  const s = profile.sums;
  out.push(
    `  sums: ${s.workflowTasks} workflow tasks (queued ${Math.round(s.wftQueuedMs)} ms, ran ${Math.round(s.wftRanMs)} ms); ` +
      `${s.activities} activities (queued ${Math.round(s.actQueuedMs)} ms, ran ${Math.round(s.actRanMs)} ms)`,
  );
  return out;
}
