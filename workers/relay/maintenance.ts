/** The relay's housekeeping queries: when to wake next, and deleting delivered rows past retention. */
import type { Knex } from 'knex';
import { BEHIND_HORIZON_SQL } from '../../outbox/lag';
import { deleteSentBatch } from './claim';

export interface NextWake {
  /** Committed rows wait for an older transaction to end. */
  behindHorizon: boolean;
  /** When the earliest retry comes due (ms from now); undefined when none. */
  dueInMs: number | undefined;
}

/**
 * What an idle relay loop waits for besides NOTIFY. Both reads are short index scans whatever the backlog: the newest
 * pending txid (outbox_pending, backwards) and the earliest retry (outbox_retry_due: only rows that failed). An
 * expired lease of a dead relay is found by the next poll (pollIntervalMs).
 */
export async function nextWakeInMs(db: Knex): Promise<NextWake> {
  const result = await db.raw<{ rows: { behind_horizon: boolean; due_in_ms: string | null }[] }>(
    `select ${BEHIND_HORIZON_SQL} as behind_horizon,
       (select extract(epoch from o.next_attempt_at - now()) * 1000 from outbox o
        where o.status = 'pending' and o.attempts > 0 and o.next_attempt_at > now()
        order by o.next_attempt_at limit 1) as due_in_ms`,
  );
  const row = result.rows[0];
  return {
    behindHorizon: row.behind_horizon,
    dueInMs: row.due_in_ms === null ? undefined : Math.max(0, Math.ceil(Number(row.due_in_ms))),
  };
}

const PURGE_BATCH = 1000;
const PURGE_MAX_BATCHES = 50;

/** Deletes sent rows older than the retention in small batches (short locks); returns how many. */
export async function purgeSentRows(db: Knex, retentionHours: number): Promise<number> {
  let deleted = 0;
  for (let i = 0; i < PURGE_MAX_BATCHES; i++) {
    const n = await deleteSentBatch(db, retentionHours, PURGE_BATCH);
    deleted += n;
    if (n < PURGE_BATCH) break;
  }
  return deleted;
}
