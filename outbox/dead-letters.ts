/**
 * Dead letters: rows that failed `maxAttempts` times. They block the later rows of their aggregate (order is kept).
 * Redrive puts a row back to pending with attempts reset, which also releases the rows waiting behind it.
 * Chosen: last_error is KEPT on redrive (it is the only history of why the row died; a later failure overwrites it).
 */
import { OUTBOX_CHANNEL } from './writer';
import { withOutboxDatabases, type OutboxDatabase } from './databases';

export interface DeadLetter {
  database: string;
  id: string;
  seq: string;
  aggregateType: string;
  aggregateId: string;
  eventType: string;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  /** Pending rows of the same aggregate waiting behind this one. */
  blockedCount: number;
}

export interface RedriveResult {
  database: string;
  id: string;
  /** Rows of the aggregate that were waiting behind it. */
  released: number;
}

interface DeadRecord {
  id: string;
  seq: string;
  aggregate_type: string;
  aggregate_id: string;
  event_type: string;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  blocked: string;
}

const BLOCKED_BEHIND = `(select count(*) from outbox p
   where p.status = 'pending' and p.aggregate_type = d.aggregate_type and p.aggregate_id = d.aggregate_id
     and (p.txid, p.seq) > (d.txid, d.seq))`;

async function listIn(database: OutboxDatabase): Promise<DeadLetter[]> {
  const result = await database.db.raw<{ rows: DeadRecord[] }>(
    `select d.id, d.seq::text as seq, d.aggregate_type, d.aggregate_id, d.event_type, d.attempts, d.last_error,
            d.created_at, ${BLOCKED_BEHIND} as blocked
     from outbox d where d.status = 'dead' order by d.txid, d.seq`,
  );
  return result.rows.map((r) => ({
    database: database.name,
    id: r.id,
    seq: r.seq,
    aggregateType: r.aggregate_type,
    aggregateId: r.aggregate_id,
    eventType: r.event_type,
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: r.created_at,
    blockedCount: Number(r.blocked),
  }));
}

/** Every dead row, with its error and how many rows wait behind it (default: the configured databases). */
export async function listDeadLetters(databases?: readonly OutboxDatabase[]): Promise<DeadLetter[]> {
  return withOutboxDatabases(databases, async (dbs) => (await Promise.all(dbs.map(listIn))).flat());
}

/** Redrives the dead rows matching `where` in one database, waking the relays; returns what was redriven. */
async function redriveIn(database: OutboxDatabase, onlyId?: string): Promise<RedriveResult[]> {
  return database.db.transaction(async (trx) => {
    const result = await trx.raw<{ rows: { id: string; aggregate_type: string; released: string }[] }>(
      `update outbox d
       set status = 'pending', attempts = 0, next_attempt_at = now(), claimed_by = null, claimed_until = null
       where d.status = 'dead' ${onlyId === undefined ? '' : 'and d.id = :id::uuid'}
       returning d.id, d.aggregate_type, ${BLOCKED_BEHIND} as released`,
      onlyId === undefined ? {} : { id: onlyId },
    );
    for (const type of new Set(result.rows.map((r) => r.aggregate_type))) {
      await trx.raw('select pg_notify(?, ?)', [OUTBOX_CHANNEL, type]);
    }
    return result.rows.map((r) => ({ database: database.name, id: r.id, released: Number(r.released) }));
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Redrives one dead row by event id (searched in every database); undefined when no dead row has that id. */
export async function redriveDeadLetter(
  id: string,
  databases?: readonly OutboxDatabase[],
): Promise<RedriveResult | undefined> {
  if (!UUID.test(id)) return undefined;
  return withOutboxDatabases(databases, async (dbs) => {
    for (const database of dbs) {
      const [redriven] = await redriveIn(database, id);
      if (redriven) return redriven;
    }
    return undefined;
  });
}

/** Redrives every dead row of every database. */
export async function redriveAll(databases?: readonly OutboxDatabase[]): Promise<RedriveResult[]> {
  return withOutboxDatabases(databases, async (dbs) =>
    (await Promise.all(dbs.map((d) => redriveIn(d)))).flat(),
  );
}
