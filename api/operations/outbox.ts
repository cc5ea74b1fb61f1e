/** Outbox lag and dead letters: the operations behind /v1/outbox and `dtx outbox`. */
import { InvalidCursorError, type DeadLetterPageRequest } from '../../outbox/dead-letters';

/** "transaction X (pid, state for N s, database, application)": what the relay waits on (`dtx outbox status`). */
export { describeHorizonHolder } from '../../outbox/lag';
import type { ApiDependencies } from './deps';
import { badRequest, notFound } from './errors';
import type { DeadLetterList, OutboxStatus, RedriveResponse } from './schemas';

/** Pending and dead rows per service. */
export async function outboxStatus(deps: ApiDependencies): Promise<OutboxStatus> {
  return { outboxes: await deps.outbox.lag() };
}

/** One page of the dead outbox rows of every service (the first page without a request); nextCursor when more. */
export async function listDeadLetters(
  deps: ApiDependencies,
  page: DeadLetterPageRequest = {},
): Promise<DeadLetterList> {
  try {
    const { deadLetters, nextCursor } = await deps.outbox.listDeadLetters(page);
    return {
      deadLetters: deadLetters.map((letter) => ({ ...letter, createdAt: letter.createdAt.toISOString() })),
      ...(nextCursor !== undefined ? { nextCursor } : {}),
    };
  } catch (error) {
    if (error instanceof InvalidCursorError) throw badRequest(error.message);
    throw error;
  }
}

/** Sends a dead row again (and releases the rows of its aggregate queued behind it); NOT_FOUND when no such row. */
export async function redriveDeadLetter(deps: ApiDependencies, id: string): Promise<RedriveResponse> {
  const redriven = await deps.outbox.redrive(id);
  if (redriven === undefined) throw notFound(`dead letter "${id}" not found`);
  return { redriven: [redriven] };
}

/** Redrives every dead row of every service. */
export async function redriveAllDeadLetters(deps: ApiDependencies): Promise<RedriveResponse> {
  return { redriven: await deps.outbox.redriveAll() };
}
