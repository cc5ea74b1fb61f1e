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

/** Pending rows of the dead row's aggregate after it in delivery order (they wait behind it). */
const BLOCKED_BEHIND = `(select count(*) from outbox p
   where p.status <> 'sent' and p.status = 'pending'
     and p.aggregate_type = d.aggregate_type and p.aggregate_id = d.aggregate_id
     and (p.aggregate_version, p.txid, p.seq) > (d.aggregate_version, d.txid, d.seq))`;

/** Dead letters per page when no limit is given, and the most a page may hold. */
export const DEAD_LETTER_PAGE = { defaultLimit: 100, maxLimit: 1000 } as const;

export interface DeadLetterPageRequest {
  /** Rows per page (default DEAD_LETTER_PAGE.defaultLimit, at most maxLimit). */
  limit?: number;
  /** nextCursor of the previous page. */
  after?: string;
}

export interface DeadLetterPage {
  deadLetters: DeadLetter[];
  /** Set when more dead letters follow: pass it as `after`. */
  nextCursor?: string;
}

/** A cursor that is not one of ours (pages are ordered by database name, then seq). */
export class InvalidCursorError extends Error {
  constructor(cursor: string) {
    super(`invalid dead-letter cursor "${cursor}" (use the nextCursor of the previous page)`);
    this.name = 'InvalidCursorError';
  }
}

interface Position {
  database: string;
  seq: bigint;
}

function encodeCursor(position: Position): string {
  return Buffer.from(`${position.database}:${position.seq}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): Position {
  const match = /^(.+):(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new InvalidCursorError(cursor);
  return { database: match[1], seq: BigInt(match[2]) };
}

/** Up to `limit` dead rows of one database with seq > `afterSeq`, by seq (index outbox_dead). */
async function listIn(database: OutboxDatabase, afterSeq: bigint, limit: number): Promise<DeadLetter[]> {
  const result = await database.db.raw<{ rows: DeadRecord[] }>(
    `select d.id, d.seq::text as seq, d.aggregate_type, d.aggregate_id, d.event_type, d.attempts, d.last_error,
            d.created_at, ${BLOCKED_BEHIND} as blocked
     from outbox d where d.status = 'dead' and d.seq > ?::bigint order by d.seq limit ?::int`,
    [afterSeq.toString(), limit],
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

/**
 * One page of dead rows, with their error and how many rows wait behind each, ordered by database name then seq
 * (default: the configured databases). Throws InvalidCursorError for a cursor that is not a nextCursor.
 */
export async function pageDeadLetters(
  request: DeadLetterPageRequest = {},
  databases?: readonly OutboxDatabase[],
): Promise<DeadLetterPage> {
  const limit = Math.min(
    Math.max(1, Math.floor(request.limit ?? DEAD_LETTER_PAGE.defaultLimit)),
    DEAD_LETTER_PAGE.maxLimit,
  );
  const after = request.after === undefined ? undefined : decodeCursor(request.after);
  return withOutboxDatabases(databases, async (dbs) => {
    const ordered = [...dbs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const rows: DeadLetter[] = [];
    for (const database of ordered) {
      if (after && database.name < after.database) continue;
      const afterSeq = after && database.name === after.database ? after.seq : -1n;
      // one more than needed tells whether another page follows
      rows.push(...(await listIn(database, afterSeq, limit + 1 - rows.length)));
      if (rows.length > limit) break;
    }
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return rows.length > limit && last
      ? { deadLetters: page, nextCursor: encodeCursor({ database: last.database, seq: BigInt(last.seq) }) }
      : { deadLetters: page };
  });
}

/** The first page of dead rows (DEAD_LETTER_PAGE.defaultLimit); pageDeadLetters for the others. */
export async function listDeadLetters(databases?: readonly OutboxDatabase[]): Promise<DeadLetter[]> {
  return (await pageDeadLetters({}, databases)).deadLetters;
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
