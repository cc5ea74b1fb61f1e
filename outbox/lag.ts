/** How far each outbox is behind: what the relay logs periodically and the API shows. */
import { withOutboxDatabases, type OutboxDatabase } from './databases';

export interface OutboxLag {
  database: string;
  /** Age of the oldest row not yet delivered (pending), ms; 0 when none. */
  oldestPendingAgeMs: number;
  pendingCount: number;
  deadCount: number;
  /** Pending rows that wait behind a dead row of their aggregate. */
  blockedCount: number;
  /** Rows marked sent per second over the last minute. */
  sentPerSecond: number;
  /** Set when the database could not be read. */
  error?: string;
}

const SENT_RATE_WINDOW_SECONDS = 60;

interface LagRecord {
  pending: string;
  dead: string;
  blocked: string;
  oldest_pending_ms: string | null;
  sent_recently: string;
}

/** Lag of one outbox database. */
export async function getDatabaseLag(database: OutboxDatabase): Promise<OutboxLag> {
  try {
    const result = await database.db.raw<{ rows: LagRecord[] }>(
      `select
         (select count(*) from outbox where status = 'pending') as pending,
         (select count(*) from outbox where status = 'dead') as dead,
         (select count(*) from outbox p
           where p.status = 'pending' and exists (
             select 1 from outbox d
             where d.status = 'dead' and d.aggregate_type = p.aggregate_type and d.aggregate_id = p.aggregate_id
               and (d.txid, d.seq) < (p.txid, p.seq))) as blocked,
         (select extract(epoch from now() - min(created_at)) * 1000 from outbox where status = 'pending') as oldest_pending_ms,
         (select count(*) from outbox where status = 'sent' and sent_at > now() - :window::int * interval '1 second') as sent_recently`,
      { window: SENT_RATE_WINDOW_SECONDS },
    );
    const row = result.rows[0];
    return {
      database: database.name,
      oldestPendingAgeMs:
        row.oldest_pending_ms === null ? 0 : Math.max(0, Math.round(Number(row.oldest_pending_ms))),
      pendingCount: Number(row.pending),
      deadCount: Number(row.dead),
      blockedCount: Number(row.blocked),
      sentPerSecond: Math.round((Number(row.sent_recently) / SENT_RATE_WINDOW_SECONDS) * 100) / 100,
    };
  } catch (error) {
    return {
      database: database.name,
      oldestPendingAgeMs: 0,
      pendingCount: 0,
      deadCount: 0,
      blockedCount: 0,
      sentPerSecond: 0,
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

/** Lag of every outbox (default: the databases of config.relay.databaseUrls). */
export async function getOutboxLag(databases?: readonly OutboxDatabase[]): Promise<OutboxLag[]> {
  return withOutboxDatabases(databases, (dbs) => Promise.all(dbs.map(getDatabaseLag)));
}
