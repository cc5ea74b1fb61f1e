/** Outbox lag and dead letters: the operations behind /v1/outbox and `dtx outbox`. */
import type { ApiDependencies } from './deps';
import { notFound } from './errors';
import type { DeadLetterList, OutboxStatus, RedriveResponse } from './schemas';

/** Pending and dead rows per service. */
export async function outboxStatus(deps: ApiDependencies): Promise<OutboxStatus> {
  return { outboxes: await deps.outbox.lag() };
}

/** Every dead outbox row of every service. */
export async function listDeadLetters(deps: ApiDependencies): Promise<DeadLetterList> {
  const deadLetters = await deps.outbox.listDeadLetters();
  return {
    deadLetters: deadLetters.map((letter) => ({ ...letter, createdAt: letter.createdAt.toISOString() })),
  };
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
