/**
 * Workflow interceptor module (the worker's `interceptors.workflowModules`): counts every finished order transaction
 * and its duration on the workflow's metric meter, by mode, final status and failure reason:
 *   dtx_transactions_total{mode,status,reason}            (reason '' when COMPLETED)
 *   dtx_transaction_duration_seconds{mode,status}         (from the chain's start: continued runs included)
 * The meter is replay-safe: the SDK drops its emissions while a history replays, and it records no command, so
 * existing histories replay unchanged. A run that continues-as-new counts nothing; its last run counts once.
 */
import {
  ApplicationFailure,
  ContinueAsNew,
  metricMeter,
  workflowInfo,
  type WorkflowInterceptorsFactory,
} from '@temporalio/workflow';
import { WORKFLOW_TYPES, type TxMode } from './names';

export const TRANSACTIONS_METRIC = 'dtx_transactions';
export const TRANSACTION_DURATION_METRIC = 'dtx_transaction_duration_seconds';

interface Outcome {
  status: string;
  reason: string;
}

const MODE_OF = new Map<string, TxMode>(
  Object.entries(WORKFLOW_TYPES).map(([mode, type]) => [type, mode as TxMode]),
);

/** The status and reason of a workflow result (PlaceOrderResult) or of the error it ended with. */
export function outcomeOf(result: { ok: true; value: unknown } | { ok: false; error: unknown }): Outcome {
  if (result.ok) {
    const value = result.value as { status?: unknown; reason?: unknown } | null;
    const status = typeof value?.status === 'string' ? value.status : 'COMPLETED';
    return {
      status,
      reason: status === 'COMPLETED' || typeof value?.reason !== 'string' ? '' : value.reason,
    };
  }
  const { error } = result;
  if (error instanceof ApplicationFailure) return { status: 'FAILED', reason: error.type ?? 'Error' };
  return { status: 'FAILED', reason: error instanceof Error ? error.name : 'Error' };
}

function record(outcome: Outcome): void {
  const info = workflowInfo();
  const mode = MODE_OF.get(info.workflowType) ?? info.workflowType;
  const seconds = Math.max(0, (Date.now() - info.startTime.getTime()) / 1000);
  metricMeter
    .createCounter(TRANSACTIONS_METRIC, '1', 'Order transactions finished, by mode, final status and reason')
    .add(1, { mode, status: outcome.status, reason: outcome.reason });
  metricMeter
    .createHistogram(TRANSACTION_DURATION_METRIC, 'float', 's', 'Order transaction duration, start to end')
    .record(seconds, { mode, status: outcome.status });
}

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [
    {
      async execute(input, next) {
        let value: unknown;
        try {
          value = await next(input);
        } catch (error) {
          if (!(error instanceof ContinueAsNew)) record(outcomeOf({ ok: false, error }));
          throw error;
        }
        record(outcomeOf({ ok: true, value }));
        return value;
      },
    },
  ],
});
