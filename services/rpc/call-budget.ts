/**
 * The time a gRPC call has left, for the database work it does: the server wrapper runs each handler inside its
 * budget, and every barrier transaction sets `statement_timeout` / `lock_timeout` from it. A handler blocked on a row
 * lock then gives its pool connection back when its caller gives up, instead of holding it until the lock is free.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

interface CallBudget {
  /** Epoch ms after which the caller no longer waits (Infinity: no deadline). */
  deadline: number;
  /** The service serving the call (the barrier's metrics label; several services share a process). */
  service?: string;
}

const budgets = new AsyncLocalStorage<CallBudget>();

/** Runs `work` with the call's deadline as its budget. */
export function withCallBudget<T>(deadline: number, work: () => Promise<T>, service?: string): Promise<T> {
  return budgets.run({ deadline, service }, work);
}

/** The service serving the current call, or undefined outside a call. */
export function currentCallService(): string | undefined {
  return budgets.getStore()?.service;
}

/** Milliseconds the current call has left (at least 1), or undefined outside a call or without a deadline. */
export function remainingCallMs(now = Date.now()): number | undefined {
  const deadline = budgets.getStore()?.deadline;
  return deadline === undefined || !Number.isFinite(deadline) ? undefined : Math.max(1, deadline - now);
}

/** PostgreSQL's codes for a statement stopped by statement_timeout (57014) or lock_timeout (55P03). */
export function isBudgetExceeded(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '57014' || code === '55P03';
}
