/**
 * How many Temporal calls placing an order costs, per wait mode (issue 10: the describe is off the hot path; issue 14:
 * wait=decided is one Update-with-Start), against a fake Temporal client that records each call.
 */
import type { WithStartWorkflowOperation } from '@temporalio/client';
import type { ApiDependencies } from '../../../api/operations/deps';
import type { IdempotencyClaim, IdempotencyRecord } from '../../../api/operations/idempotency-records';
import { placeOrder } from '../../../api/operations/orders';
import type { TxDecision } from '../../../workflows/contract';
import { MEMO_KEYS, WORKFLOW_TYPES } from '../../../workflows/names';
import { workflowStartOptions } from '../../../workflows/start-options';
import { unreachableDeps } from './support/unreachable-deps.fake';

/** One workflow id's run as the fake server holds it. */
interface FakeRun {
  type: string;
  memo: Record<string, unknown>;
  runId: string;
}

function fakeSystem() {
  const calls: string[] = [];
  const runs = new Map<string, FakeRun>();
  const keys = new Map<string, IdempotencyRecord>();
  /** Start with USE_EXISTING: the first start wins, a later one joins it. */
  const startOrJoin = (type: string, options: { workflowId: string; memo?: Record<string, unknown> }) => {
    const run = runs.get(options.workflowId) ?? {
      type,
      memo: options.memo ?? {},
      runId: `run-${runs.size + 1}`,
    };
    runs.set(options.workflowId, run);
    return run;
  };
  const client = {
    withAbortSignal: <R>(_signal: AbortSignal, fn: () => Promise<R>) => fn(),
    workflow: {
      start: (type: string, options: { workflowId: string; memo?: Record<string, unknown> }) => {
        calls.push('start');
        const run = startOrJoin(type, options);
        return Promise.resolve({ firstExecutionRunId: run.runId });
      },
      getHandle: (workflowId: string) => ({
        describe: () => {
          calls.push('describe');
          const run = runs.get(workflowId)!;
          return Promise.resolve({
            runId: run.runId,
            type: run.type,
            memo: run.memo,
            status: { name: 'RUNNING' },
            typedSearchAttributes: { get: () => 'RUNNING' },
          });
        },
        result: () => {
          calls.push('result');
          return Promise.resolve({ status: 'COMPLETED', orderId: 'o', total: 1250 });
        },
      }),
      executeUpdateWithStart: (
        _update: unknown,
        { startWorkflowOperation }: { startWorkflowOperation: WithStartWorkflowOperation<never> },
      ) => {
        calls.push('executeUpdateWithStart');
        const { workflowTypeOrFunc, options } = startWorkflowOperation;
        const run = startOrJoin(String(workflowTypeOrFunc), options);
        const decision: TxDecision = {
          status: 'COMMITTING',
          mode: 'tcc',
          orderId: 'o',
          runId: run.runId,
          requestNonce: run.memo[MEMO_KEYS.requestNonce] as string,
          requestHash: run.memo[MEMO_KEYS.requestHash] as string,
          decidedAt: '2026-12-01T00:00:00.000Z',
        };
        return Promise.resolve(decision);
      },
    },
  };
  const deps: ApiDependencies = {
    ...unreachableDeps(),
    temporal: { client: client as never, namespace: 'default', uiUrl: 'http://ui' },
    startTransaction: (mode, input) => ({
      workflowType: WORKFLOW_TYPES[mode],
      options: workflowStartOptions(mode, input),
    }),
    idempotency: {
      claim: (customerId: string, key: string, record: IdempotencyRecord): Promise<IdempotencyClaim> => {
        const first = keys.get(`${customerId}/${key}`);
        if (first) return Promise.resolve({ ...first, fresh: false });
        keys.set(`${customerId}/${key}`, record);
        return Promise.resolve({ ...record, fresh: true });
      },
      purgeExpired: () => Promise.resolve(0),
    },
  };
  return { deps, calls };
}

const body = { customerId: 'alice', items: [{ sku: 'SKU-1', quantity: 1 }], mode: 'tcc' };

describe('Temporal calls per order', () => {
  test('no wait: start only', async () => {
    const { deps, calls } = fakeSystem();
    const answer = await placeOrder(deps, { body });
    expect(calls).toEqual(['start']);
    expect(answer).toMatchObject({ status: 'RUNNING', replayed: false, runId: 'run-1' });
  });

  test('wait=true: start + result (no describe: this request started the workflow)', async () => {
    const { deps, calls } = fakeSystem();
    const answer = await placeOrder(deps, { body, waitMs: 30_000 });
    expect(calls).toEqual(['start', 'result']);
    expect(answer).toMatchObject({ status: 'COMPLETED', replayed: false, outcome: { status: 'COMPLETED' } });
  });

  test('wait=true with an Idempotency-Key: the first request start + result, a repeat adds the describe', async () => {
    const { deps, calls } = fakeSystem();
    const first = await placeOrder(deps, { body, idempotencyKey: 'k1', waitMs: 30_000 });
    expect(calls).toEqual(['start', 'result']);
    expect(first.replayed).toBe(false);
    calls.length = 0;
    const again = await placeOrder(deps, { body, idempotencyKey: 'k1', waitMs: 30_000 });
    expect(calls).toEqual(['start', 'describe', 'result']);
    expect(again).toMatchObject({ replayed: true, orderId: first.orderId, runId: first.runId });
  });

  test('wait=decided: one Update-with-Start; a repeat is told apart by the nonce the update returns', async () => {
    const { deps, calls } = fakeSystem();
    const first = await placeOrder(deps, { body, idempotencyKey: 'k2', waitMs: 30_000, waitFor: 'decided' });
    expect(calls).toEqual(['executeUpdateWithStart']);
    expect(first).toMatchObject({
      status: 'COMMITTING',
      replayed: false,
      decision: { status: 'COMMITTING' },
    });
    expect(first.outcome).toBeUndefined();
    calls.length = 0;
    const again = await placeOrder(deps, { body, idempotencyKey: 'k2', waitMs: 30_000, waitFor: 'decided' });
    expect(calls).toEqual(['executeUpdateWithStart']);
    expect(again).toMatchObject({ replayed: true, orderId: first.orderId });
  });

  test('the same key with another body: 409 before any Temporal call', async () => {
    const { deps, calls } = fakeSystem();
    await placeOrder(deps, { body, idempotencyKey: 'k3' });
    calls.length = 0;
    await expect(
      placeOrder(deps, {
        body: { ...body, items: [{ sku: 'SKU-1', quantity: 2 }] },
        idempotencyKey: 'k3',
        waitFor: 'decided',
        waitMs: 30_000,
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('Idempotency-Key "k3"') });
    expect(calls).toEqual([]);
  });
});
