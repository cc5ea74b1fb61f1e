/** Writing outbox rows the way the services do (appendEvent in a transaction), and reading them back. */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { appendEvent, type DomainEvent } from '../../../../outbox/writer';

/** A unique prefix for this run's aggregate ids (tests share topics; they filter by it). */
export function runId(label: string): string {
  return `t${label}-${randomBytes(4).toString('hex')}`;
}

/** Commits one transaction writing `events`; returns their ids in order. */
export async function commitEvents(db: Knex, events: DomainEvent[]): Promise<string[]> {
  return db.transaction(async (trx) => {
    const ids: string[] = [];
    for (const event of events) ids.push(await appendEvent(trx, event));
    return ids;
  });
}

/** Writes `events` in a transaction that then rolls back; returns the ids it had taken. */
export async function rolledBackEvents(db: Knex, events: DomainEvent[]): Promise<string[]> {
  const ids: string[] = [];
  const rollback = new Error('rollback on purpose');
  await db
    .transaction(async (trx) => {
      for (const event of events) ids.push(await appendEvent(trx, event));
      throw rollback;
    })
    .catch((error: unknown) => {
      if (error !== rollback) throw error;
    });
  return ids;
}

export interface StoredRow {
  id: string;
  seq: string;
  txid: string;
  aggregate_id: string;
  aggregate_version: string;
  status: string;
  attempts: number;
  claimed_by: string | null;
  last_error: string | null;
}

/** Every outbox row of aggregates starting with `prefix`, in delivery order: (aggregate_version, txid, seq). */
export async function storedRows(db: Knex, prefix: string): Promise<StoredRow[]> {
  const result = await db.raw<{ rows: StoredRow[] }>(
    `select id, seq::text as seq, txid::text as txid, aggregate_id, aggregate_version::text as aggregate_version,
            status, attempts, claimed_by, last_error
     from outbox o where aggregate_id like ? order by o.aggregate_version, o.txid, o.seq`, // qualified: the text aliases would sort as text
    [`${prefix}%`],
  );
  return result.rows;
}

/** Expected Kafka order per aggregate: event ids by aggregate, in delivery order (rows as storedRows returns them). */
export function expectedOrder(rows: readonly StoredRow[]): Map<string, string[]> {
  const byAggregate = new Map<string, string[]>();
  for (const row of rows) {
    const list = byAggregate.get(row.aggregate_id) ?? [];
    list.push(row.id);
    byAggregate.set(row.aggregate_id, list);
  }
  return byAggregate;
}

/** Polls `check` until it returns true; throws `what` after `timeoutMs` (a liveness bound, not a speed claim). */
export async function eventually(
  check: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
