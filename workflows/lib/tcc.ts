/**
 * TCC coordinator: try every participant in parallel under one deadline; all tries succeed → confirm all;
 * otherwise (a rejection, exhausted retries, the deadline, a cancel request) → cancel ALL participants,
 * including those whose try failed, timed out or never ran (the barrier makes that an empty rollback).
 * Confirms and cancels run non-cancellable and are retried until they succeed.
 */
import { CancellationScope, sleep } from '@temporalio/workflow';
import { ABORT_REASONS, type BarrierOp } from '../names';
import { SettleDeferred, TxAborted, type FailureInfo } from './failure';
import type { Transaction } from './transaction';
import type { SettleCallRef, SettlePlan } from './types';

export interface TccParticipant {
  /** Step name, also the participant's barrier branch id. */
  name: string;
  try: () => Promise<unknown>;
  confirm: () => Promise<unknown>;
  /** Given the abort reason. */
  cancel: (reason: string) => Promise<unknown>;
}

export interface TccOptions {
  /** How long all tries together may take. */
  tryTimeoutMs: number;
}

/**
 * Runs the try phase, then confirms all or cancels all. Resolves once every participant is confirmed;
 * throws TxAborted once every participant is cancelled (the caller then undoes its own earlier steps).
 */
export async function runTcc(
  tx: Transaction,
  participants: TccParticipant[],
  options: TccOptions,
): Promise<void> {
  const abort = await tryAll(tx, participants, options);
  if (!abort) {
    tx.commit(); // decided: the confirms run until they succeed
    await settleGroup(
      tx,
      participants.map((p) => ({ step: p.name, op: 'confirm', call: p.confirm })),
    );
    return;
  }
  tx.beginUndo(abort);
  const reason = `${abort.failedStep}: ${abort.reason}`;
  await settleGroup(
    tx,
    participants.map((p) => ({ step: p.name, op: 'cancel', call: () => p.cancel(reason) })),
    abort,
  );
  throw abort;
}

type SettleCall = SettleCallRef & { call: () => Promise<unknown> };

/**
 * Settles calls in parallel, each until it succeeds. When some stop for a large history (SettleDeferred), waits for
 * the others to succeed or stop too, then throws one SettleDeferred with every call not done.
 */
async function settleGroup(tx: Transaction, calls: SettleCall[], failure?: TxAborted): Promise<void> {
  const results = await Promise.allSettled(calls.map((c) => tx.settle(c.step, c.op, c.call)));
  const deferred: SettleCallRef[] = [];
  for (const [i, result] of results.entries()) {
    if (result.status === 'fulfilled') continue;
    if (!(result.reason instanceof SettleDeferred)) throw result.reason;
    deferred.push({ step: calls[i].step, op: calls[i].op });
  }
  if (deferred.length > 0) throw new SettleDeferred([deferred], failure);
}

/**
 * A continued run's settle phase: the groups of `plan` in order, the calls of a group in parallel, each until it
 * succeeds; throws SettleDeferred with what is left when this run's history gets large too.
 */
export async function runSettlePlan(
  tx: Transaction,
  plan: SettlePlan,
  callOf: (step: string, op: BarrierOp) => () => Promise<unknown>,
  failure?: TxAborted,
): Promise<void> {
  for (const [i, group] of plan.entries()) {
    try {
      await settleGroup(
        tx,
        group.map((ref) => ({ ...ref, call: callOf(ref.step, ref.op) })),
        failure,
      );
    } catch (err) {
      if (err instanceof SettleDeferred) throw err.followedBy(plan.slice(i + 1));
      throw err;
    }
  }
}

/** The try phase; returns why it failed, or undefined when every try succeeded and nobody asked to cancel. */
async function tryAll(
  tx: Transaction,
  participants: TccParticipant[],
  { tryTimeoutMs }: TccOptions,
): Promise<TxAborted | undefined> {
  const root = CancellationScope.current();
  if (root.consideredCancelled) {
    return new TxAborted(
      participants[0]?.name ?? 'try',
      ABORT_REASONS.cancelled,
      'cancel requested before the tries',
    );
  }
  let abort: TxAborted | undefined;
  let timedOut = false;
  const tries = new CancellationScope();
  const deadline = new CancellationScope();

  // Why a try was interrupted: the deadline, a sibling's failure, or a cancel request.
  const interrupted = (): FailureInfo =>
    timedOut
      ? {
          type: ABORT_REASONS.tryTimeout,
          message: `try deadline of ${tryTimeoutMs} ms passed`,
          nonRetryable: true,
        }
      : {
          type: ABORT_REASONS.cancelled,
          message: abort ? `aborted: ${abort.message}` : 'cancel requested',
          nonRetryable: true,
        };

  const timer = deadline
    .run(() => sleep(tryTimeoutMs))
    .then(
      () => {
        timedOut = true;
        const late = participants.find((p) => tx.step(p.name).state === 'running');
        abort ??= new TxAborted(
          late?.name ?? 'try',
          ABORT_REASONS.tryTimeout,
          `try deadline of ${tryTimeoutMs} ms passed`,
        );
        tries.cancel();
      },
      () => undefined, // the deadline scope was cancelled: the tries finished first
    );

  await tries.run(() =>
    Promise.all(
      participants.map(async (p) => {
        try {
          await tx.run(p.name, 'try', p.try, tx.forwardPolicy, interrupted);
        } catch (err) {
          if (!(err instanceof TxAborted)) throw err;
          abort ??= err;
          tries.cancel(); // no point waiting for the others: everyone will be cancelled
        }
      }),
    ),
  );
  deadline.cancel();
  await timer;
  if (!abort && root.consideredCancelled) {
    abort = new TxAborted(
      participants[participants.length - 1]?.name ?? 'try',
      ABORT_REASONS.cancelled,
      'cancel requested',
    );
  }
  return abort;
}
