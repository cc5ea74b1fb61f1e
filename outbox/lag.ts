/** How far each outbox is behind: what the relay logs periodically and the API shows. */
import type { Knex } from 'knex';
import { withOutboxDatabases, type OutboxDatabase } from './databases';

/**
 * The oldest running transaction of the cluster: the relay's visibility horizon (claim.ts) waits for it, in EVERY
 * database's outbox, since transaction ids are cluster-wide. An idle open transaction here stalls all outboxes until
 * it ends (idle_in_transaction_session_timeout ends it on the local stack).
 */
export interface HorizonHolder {
  /** Its transaction id. */
  xid: string;
  /** Backend pid; undefined for a prepared (two-phase) transaction, which has no session. */
  pid?: number;
  /** The gid of a prepared transaction. */
  preparedGid?: string;
  database: string | null;
  user: string | null;
  application: string | null;
  /** pg_stat_activity state, e.g. "idle in transaction". */
  state: string | null;
  /** Since the transaction began (prepared: since it was prepared), ms. */
  ageMs: number;
  /** Its current or last statement (first 200 characters). */
  query: string | null;
}

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
  /** Set when committed rows wait for an older transaction still running (the visibility horizon). */
  waitingOn?: HorizonHolder;
  /** Set when the database could not be read. */
  error?: string;
}

const SENT_RATE_WINDOW_SECONDS = 60;

interface LagRecord {
  pending: string;
  dead: string;
  blocked: string;
  oldest_pending_ms: string | null;
  behind_horizon: boolean;
  sent_recently: string;
}

/**
 * SQL (a boolean expression): committed pending rows wait for the horizon. The newest pending txid, read backwards
 * through outbox_pending: one short index scan whatever the backlog and the statistics.
 */
export const BEHIND_HORIZON_SQL = `coalesce((
  select o.txid >= pg_snapshot_xmin(pg_current_snapshot()) from outbox o
  where o.status <> 'sent' and o.status = 'pending' order by o.txid desc limit 1), false)`;

interface HolderRecord {
  xid: string;
  pid: number | null;
  gid: string | null;
  database: string | null;
  user: string | null;
  application: string | null;
  state: string | null;
  age_ms: string;
  query: string | null;
}

/** The oldest transaction holding an id, session or prepared (pg_stat_activity needs pg_read_all_stats for others'). */
export async function horizonHolder(db: Knex): Promise<HorizonHolder | undefined> {
  const result = await db.raw<{ rows: HolderRecord[] }>(
    `select * from (
       select a.backend_xid::text as xid, a.pid, null as gid, a.datname::text as database, a.usename::text as "user",
              a.application_name as application, a.state,
              extract(epoch from now() - coalesce(a.xact_start, now())) * 1000 as age_ms, left(a.query, 200) as query,
              age(a.backend_xid) as xid_age
       from pg_stat_activity a where a.backend_xid is not null
       union all
       select p.transaction::text, null, p.gid, p.database::text, p.owner::text, null, 'prepared',
              extract(epoch from now() - p.prepared) * 1000, null, age(p.transaction)
       from pg_prepared_xacts p
     ) t order by xid_age desc limit 1`,
  );
  const row = result.rows[0];
  if (!row) return undefined;
  return {
    xid: row.xid,
    ...(row.pid !== null ? { pid: row.pid } : {}),
    ...(row.gid !== null ? { preparedGid: row.gid } : {}),
    database: row.database,
    user: row.user,
    application: row.application,
    state: row.state,
    ageMs: Math.max(0, Math.round(Number(row.age_ms))),
    query: row.query,
  };
}

/** "transaction 1234 (pid 99, idle in transaction for 42.0 s, database dtx_order, application psql)". */
export function describeHorizonHolder(holder: HorizonHolder): string {
  const who =
    holder.pid !== undefined ? `pid ${holder.pid}` : `prepared transaction "${holder.preparedGid ?? ''}"`;
  const parts = [
    who,
    `${holder.state ?? 'running'} for ${(holder.ageMs / 1000).toFixed(1)} s`,
    ...(holder.database ? [`database ${holder.database}`] : []),
    ...(holder.application ? [`application ${holder.application}`] : []),
  ];
  return `transaction ${holder.xid} (${parts.join(', ')})`;
}

/** Lag of one outbox database. */
export async function getDatabaseLag(database: OutboxDatabase): Promise<OutboxLag> {
  try {
    const result = await database.db.raw<{ rows: LagRecord[] }>(
      `select
         (select count(*) from outbox where status = 'pending') as pending,
         ${BEHIND_HORIZON_SQL} as behind_horizon,
         (select count(*) from outbox where status = 'dead') as dead,
         (select count(*) from outbox p
           where p.status = 'pending' and exists (
             select 1 from outbox d
             where d.status = 'dead' and d.aggregate_type = p.aggregate_type and d.aggregate_id = p.aggregate_id
               and (d.aggregate_version, d.txid, d.seq) < (p.aggregate_version, p.txid, p.seq))) as blocked,
         (select extract(epoch from now() - min(created_at)) * 1000 from outbox where status = 'pending') as oldest_pending_ms,
         (select count(*) from outbox where status = 'sent' and sent_at > now() - :window::int * interval '1 second') as sent_recently`,
      { window: SENT_RATE_WINDOW_SECONDS },
    );
    const row = result.rows[0];
    const waitingOn = row.behind_horizon ? await horizonHolder(database.db) : undefined;
    return {
      database: database.name,
      oldestPendingAgeMs:
        row.oldest_pending_ms === null ? 0 : Math.max(0, Math.round(Number(row.oldest_pending_ms))),
      pendingCount: Number(row.pending),
      deadCount: Number(row.dead),
      blockedCount: Number(row.blocked),
      sentPerSecond: Math.round((Number(row.sent_recently) / SENT_RATE_WINDOW_SECONDS) * 100) / 100,
      ...(waitingOn ? { waitingOn } : {}),
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
