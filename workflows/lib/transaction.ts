/**
 * The core every flow shares: per-step state, the retry loop of every call, status publishing
 * (txState, the TxStatus search attribute, the UI's current details).
 *
 * Every attempt of a call is ONE activity execution (the proxies use maximumAttempts 1); retries are
 * a loop here with a durable `sleep` between attempts. That is what lets `txState` report the attempts
 * and the last error of a step truthfully while it is still retrying (an activity's server-side
 * retries are invisible to the workflow until they end).
 */
import {
  CancellationScope,
  isCancellation,
  patched,
  setCurrentDetails,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { ABORT_REASONS, COMMITTING, type BarrierOp, type StepState, type TxStatus } from '../names';
import { TX_STATUS } from '../search-attributes';
import { backoffCeilingMs, fullJitterMs, JITTERED_BACKOFF_PATCH } from './backoff';
import { describeFailure, SettleDeferred, TxAborted, type FailureInfo } from './failure';
import type { RetryTuning, StepView, TxCoreState } from './types';

/** How long a call keeps trying. */
export interface CallPolicy {
  maxAttempts: number;
  maxElapsedMs: number;
  /** Give up at once on a non-retryable failure (a business rejection) instead of retrying it. */
  stopOnNonRetryable: boolean;
  /** A settle loop: once the history is large it stops at its next backoff (SettleDeferred, see `settle`). */
  deferrable?: boolean;
}

export interface StepSpec {
  name: string;
  summary: string;
  /** Not part of this run (e.g. no coupon): shown as `skipped`. */
  skipped?: boolean;
}

export interface TransactionSpec {
  mode: string;
  /** First line of the UI's current details, e.g. "saga · order 42". */
  title: string;
  steps: StepSpec[];
  retry: RetryTuning;
  /** Failure types that end a forward call at once even when the failure itself is marked retryable. */
  nonRetryableTypes: readonly string[];
  /**
   * The calls are local activities. A local activity runs BEFORE the workflow task that decided it is recorded; a
   * task that is lost (worker crash, or a completion the server refuses because a cancel request came in meanwhile)
   * re-runs from the last recorded point, where the new events are seen earlier and may lead elsewhere. So: the calls
   * that follow an irreversible decision (the saga pivot, the TCC confirms) are remote activities, whose scheduling is
   * recorded before they run, and a cancelled saga undoes every step it might have reached (Saga.plan).
   */
  localCalls?: boolean;
  /** A continued run: the state the previous run handed over (steps, attempts, errors, status), not a fresh one. */
  resume?: TxCoreState;
}

type Phase = 'start' | 'ok' | 'failed';

/**
 * Workflow patch of the settle phase's continue-as-new. Asked only once a deferral is due (a large history), so
 * histories that never got there replay untouched; a run recorded before this code replays as recorded and
 * continues-as-new at its first backoff on this code.
 */
export const SETTLE_CONTINUE_AS_NEW_PATCH = 'dtx-settle-continue-as-new';

/** Step state per barrier op and phase of a call. */
const STATE_OF: Record<BarrierOp, Record<Phase, StepState>> = {
  action: { start: 'running', ok: 'done', failed: 'failed' },
  try: { start: 'running', ok: 'done', failed: 'failed' },
  confirm: { start: 'running', ok: 'done', failed: 'running' },
  compensate: { start: 'compensating', ok: 'compensated', failed: 'compensating' },
  cancel: { start: 'compensating', ok: 'compensated', failed: 'compensating' },
};

export class Transaction<Extra extends object = object> {
  private readonly core: TxCoreState;
  private readonly byName = new Map<string, StepView>();
  private readonly retry: RetryTuning;
  /** Set while `waitAs` waits: the status shown instead of the core one. */
  private waiting?: TxStatus;
  /** The outcome is decided to be a commit (see `commit`); in-memory only, it records nothing. */
  private committed = false;
  /** Workflow time the outcome was decided (commit or undo), ISO 8601. */
  private decidedAt?: string;

  constructor(
    private readonly spec: TransactionSpec,
    /** Flow-specific fields of the state (e.g. orderId, the quote); mutate freely. */
    readonly extra: Extra,
  ) {
    this.retry = spec.retry;
    const steps = spec.steps.map((s): StepView => ({
      name: s.name,
      summary: s.summary,
      state: s.skipped ? 'skipped' : 'pending',
      attempts: {},
    }));
    const resumed = spec.resume;
    this.core = resumed
      ? {
          mode: spec.mode,
          status: resumed.status,
          failedStep: resumed.failedStep,
          reason: resumed.reason,
          steps: resumed.steps.map((s) => ({ ...s, attempts: { ...s.attempts } })),
        }
      : { mode: spec.mode, status: 'RUNNING', steps };
    this.core.steps.forEach((s) => this.byName.set(s.name, s));
    // a continued run only settles: still RUNNING means it is confirming, i.e. the commit was decided before
    if (resumed) {
      this.committed = resumed.status === 'RUNNING';
      this.decidedAt = new Date().toISOString();
    }
    this.publish();
  }

  /**
   * The point of no return was passed forward (TCC: every try succeeded; saga: the pivot applied): the transaction will
   * complete. Changes no command and no status, so histories replay as before; it only answers `decision`.
   */
  commit(): void {
    this.committed = true;
    this.decidedAt ??= new Date().toISOString();
  }

  /** The decided outcome: the final status, COMPENSATING once the undo began, COMMITTING after `commit`; else undefined. */
  decision():
    | { status: TxStatus | typeof COMMITTING; failedStep?: string; reason?: string; decidedAt: string }
    | undefined {
    const { status, failedStep, reason } = this.core;
    const decidedAt = this.decidedAt ?? new Date().toISOString();
    if (status !== 'RUNNING') return { status, failedStep, reason, decidedAt };
    return this.committed ? { status: COMMITTING, decidedAt } : undefined;
  }

  /** What the txState query returns. */
  view(): TxCoreState & Extra {
    return { ...this.extra, ...this.core, status: this.shownStatus };
  }

  /**
   * A wait outside any call (an async payment's result): `status` is shown in txState, the UI and TxStatus while
   * `wait` runs; the core status (what `decision` and the result see) stays RUNNING. Nothing changes for a flow
   * that never waits, so histories replay as before.
   */
  async waitAs<T>(status: TxStatus, wait: () => Promise<T>): Promise<T> {
    this.waiting = status;
    this.publish();
    try {
      return await wait();
    } finally {
      this.waiting = undefined;
      this.publish();
    }
  }

  private get shownStatus(): TxStatus {
    return this.waiting ?? this.core.status;
  }

  get status(): TxStatus {
    return this.core.status;
  }

  step(name: string): StepView {
    const step = this.byName.get(name);
    if (!step) throw new Error(`unknown step "${name}"`);
    return step;
  }

  /** Forward calls: bounded attempts and time, a rejection stops at once. */
  get forwardPolicy(): CallPolicy {
    return {
      maxAttempts: this.retry.forwardMaximumAttempts,
      maxElapsedMs: this.retry.forwardMaximumElapsedMs,
      stopOnNonRetryable: true,
    };
  }

  /** Until a definitive answer: transient failures retried forever, a rejection stops (the pivot). */
  readonly definitivePolicy: CallPolicy = {
    maxAttempts: Infinity,
    maxElapsedMs: Infinity,
    stopOnNonRetryable: true,
  };

  /** Until success, whatever the failure (compensations, confirms, cancels). */
  readonly untilSuccessPolicy: CallPolicy = {
    maxAttempts: Infinity,
    maxElapsedMs: Infinity,
    stopOnNonRetryable: false,
  };

  /**
   * Runs one call of a step as a retry loop: each attempt is counted and its failure recorded before the backoff.
   * Throws TxAborted when the policy gives up or the surrounding scope is cancelled.
   */
  async run<T>(
    name: string,
    op: BarrierOp,
    call: () => Promise<T>,
    policy: CallPolicy,
    onCancel: () => FailureInfo = () => ({
      type: ABORT_REASONS.cancelled,
      message: 'cancel requested',
      nonRetryable: true,
    }),
  ): Promise<T> {
    const step = this.step(name);
    const firstAt = Date.now();
    // attempts made by earlier runs (continue-as-new) count too
    const earlier = step.attempts[op] ?? 0;
    for (let attempt = 1; ; attempt++) {
      this.mark(step, op, 'start');
      step.attempts[op] = (step.attempts[op] ?? 0) + 1;
      this.publish();
      try {
        const value = await call();
        this.mark(step, op, 'ok');
        this.publish();
        return value;
      } catch (err) {
        const cancelled = isCancellation(err);
        const failure = cancelled ? onCancel() : describeFailure(err, this.spec.nonRetryableTypes);
        step.lastError = { op, attempt: earlier + attempt, ...failure, at: new Date().toISOString() };
        const giveUp =
          cancelled ||
          (policy.stopOnNonRetryable && failure.nonRetryable) ||
          attempt >= policy.maxAttempts ||
          Date.now() - firstAt >= policy.maxElapsedMs;
        if (giveUp) this.mark(step, op, 'failed');
        this.publish();
        if (giveUp) throw new TxAborted(name, failure.type, failure.message);
      }
      if (policy.deferrable && this.historyFull()) throw new SettleDeferred([[{ step: name, op }]]);
      try {
        await sleep(this.backoffMs(attempt, Date.now() - firstAt));
      } catch (err) {
        if (!isCancellation(err)) throw err;
        const failure = onCancel();
        step.lastError = { op, attempt: earlier + attempt, ...failure, at: new Date().toISOString() };
        this.mark(step, op, 'failed');
        this.publish();
        throw new TxAborted(name, failure.type, failure.message);
      }
    }
  }

  /** See TransactionSpec.localCalls. */
  get localCalls(): boolean {
    return this.spec.localCalls === true;
  }

  /**
   * Runs a compensation, confirm or cancel until it succeeds; a workflow cancel request cannot stop it. Every failed
   * attempt costs history events, so once the run's history is large (RetryTuning.continueAsNewAfterEvents, or the
   * server suggests it) the loop stops at its next backoff and throws SettleDeferred: the caller collects what is
   * left and the workflow continues-as-new with it.
   */
  settle<T>(name: string, op: BarrierOp, call: () => Promise<T>): Promise<T> {
    const policy = { ...this.untilSuccessPolicy, deferrable: true };
    return CancellationScope.nonCancellable(() => this.run(name, op, call, policy));
  }

  /** Time to continue-as-new: read first, the patch is asked only when it is due (see SETTLE_CONTINUE_AS_NEW_PATCH). */
  private historyFull(): boolean {
    const info = workflowInfo();
    const due = info.continueAsNewSuggested || info.historyLength >= this.retry.continueAsNewAfterEvents;
    return due && patched(SETTLE_CONTINUE_AS_NEW_PATCH);
  }

  /** The forward phase failed: from now on the transaction undoes (status COMPENSATING). */
  beginUndo(failure: TxAborted): void {
    this.core.failedStep = failure.failedStep;
    this.core.reason = failure.reason;
    this.setStatus('COMPENSATING');
  }

  /** Final status; steps never reached become `skipped`. */
  finish(status: TxStatus, failure?: TxAborted): void {
    if (failure) {
      this.core.failedStep = failure.failedStep;
      this.core.reason = failure.reason;
    }
    for (const step of this.core.steps) if (step.state === 'pending') step.state = 'skipped';
    this.setStatus(status);
  }

  private setStatus(status: TxStatus): void {
    if (status !== 'RUNNING') this.decidedAt ??= new Date().toISOString();
    this.core.status = status;
    this.publish();
  }

  private mark(step: StepView, op: BarrierOp, phase: Phase): void {
    step.op = op;
    step.state = STATE_OF[op][phase];
  }

  /** The wait before the next attempt: full jitter under the capped exponential (lib/backoff.ts). */
  private backoffMs(attempt: number, failingForMs: number): number {
    const ceiling = backoffCeilingMs(attempt, failingForMs, this.retry);
    // Math.random in a workflow is the run's deterministic source: replays draw the same waits
    return patched(JITTERED_BACKOFF_PATCH) ? fullJitterMs(ceiling, Math.random) : ceiling;
  }

  /** Mirrors the state into the UI (current details, every change) and the TxStatus search attribute (on change). */
  private publish(): void {
    setCurrentDetails(this.renderDetails());
    if (workflowInfo().typedSearchAttributes.get(TX_STATUS) !== this.shownStatus) {
      upsertSearchAttributes([{ key: TX_STATUS, value: this.shownStatus }]);
    }
  }

  private renderDetails(): string {
    const { failedStep, reason, steps } = this.core;
    const status = this.shownStatus;
    const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
    const lines = [`**${cell(this.spec.title)}** — **${status}**`];
    if (failedStep) lines.push('', `Failed at \`${failedStep}\`: ${cell(reason ?? '')}`);
    lines.push('', '| step | state | attempts | last error |', '| --- | --- | --- | --- |');
    for (const s of steps) {
      const attempts = Object.entries(s.attempts)
        .map(([op, n]) => `${op} ×${n}`)
        .join(', ');
      const error = s.lastError
        ? `${s.lastError.op} #${s.lastError.attempt}: ${s.lastError.type} — ${s.lastError.message}`
        : '';
      lines.push(`| ${cell(`${s.name}: ${s.summary}`)} | ${s.state} | ${attempts} | ${cell(error)} |`);
    }
    return lines.join('\n');
  }
}
