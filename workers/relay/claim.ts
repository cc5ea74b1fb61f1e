/**
 * The relay's SQL: claim due rows in each aggregate's delivery order, mark them sent, failed or released, delete old
 * sent rows.
 *
 * Delivery order (docs/design.md, outbox ordering): per aggregate, rows go out in (aggregate_version, txid, seq) order.
 * aggregate_version is bumped in the same UPDATE as the aggregate row, i.e. taken under its row lock, so it is the
 * order in which the aggregate's transactions committed. txid is NOT: it is assigned at a transaction's first write
 * (the barrier insert), before the row lock is taken, so a transaction can take its txid first and commit last.
 * (txid, seq) only orders rows without a version (0: writers without an aggregate row).
 *
 * Claiming (why it is safe with several relays and lanes):
 * - Visibility horizon: only rows whose txid is older than every running transaction
 *   (`txid < pg_snapshot_xmin(pg_current_snapshot())`) are claimed, so a claim never runs ahead of a row that an
 *   older, still running transaction may yet commit.
 * - The claim walks the aggregates that have unsent rows in key order, through the outbox_aggregate_order index
 *   (one probe per aggregate), starting where the previous claim stopped (ClaimSweep, shared by a database's lanes),
 *   and stops once it has `batch` rows or has looked at `walkLimit` aggregates. Its cost is O(batch + aggregates
 *   looked at), whatever the backlog and the planner's statistics. (Index entries of sent rows are visited until
 *   vacuum removes them; round-robin sweeps pass over a drained region once per sweep.)
 * - Per aggregate it takes a run that starts at the aggregate's FIRST unsent row (the head) and stops before the
 *   first row that is not claimable (behind the horizon, claimed, dead, backing off). A dead, backing-off or claimed
 *   head blocks its aggregate, which is how later rows wait behind it; a live claim on the head keeps every other
 *   lane off the aggregate.
 * - The claim is written on each run's HEAD only (one row per aggregate, not per row: the claim costs a write per
 *   aggregate): the head is locked `FOR UPDATE SKIP LOCKED` and its claimability re-checked on its latest version, so
 *   of two concurrent claimers only one gets an aggregate. The rest of the run is held through the head.
 * - The claim (claimed_by, claimed_until) is committed by this single statement before anything is sent; no
 *   transaction stays open while Kafka is called. A relay that dies leaves a lease that simply expires.
 */
import type { Knex } from 'knex';
import type { OutboxRow } from '../../outbox/types';

/** Where the walk over the aggregates continues (exclusive). */
export interface AggregateKey {
  aggregateType: string;
  aggregateId: string;
}

interface ClaimRecord {
  id: string | null;
  seq: string;
  txid: string;
  aggregate_type: string;
  aggregate_id: string;
  aggregate_version: string;
  event_type: string;
  payload_json: string;
  headers: Record<string, unknown> | null;
  created_at: Date;
  attempts: number;
  walk_n: number;
  pos: string;
  more: boolean | null;
}

const CLAIMABLE = (row: string) => `${row}.status = 'pending' and ${row}.txid < (select xmin from horizon)
      and ${row}.next_attempt_at <= now() and (${row}.claimed_until is null or ${row}.claimed_until < now())`;

function claimSql(fromCursor: boolean): string {
  return `
with recursive
horizon as materialized (
  select pg_snapshot_xmin(pg_current_snapshot()) as xmin
),
-- the aggregates with unsent rows, in key order after the cursor: one index probe each (a loose index scan)
walk (aggregate_type, aggregate_id, n) as (
  (select o.aggregate_type, o.aggregate_id, 1
   from outbox o
   where o.status <> 'sent'${fromCursor ? ' and (o.aggregate_type, o.aggregate_id) > (:afterType, :afterId)' : ''}
   order by o.aggregate_type, o.aggregate_id
   limit 1)
  union all
  select nx.aggregate_type, nx.aggregate_id, w.n + 1
  from walk w
  cross join lateral (
    select o.aggregate_type, o.aggregate_id
    from outbox o
    where o.status <> 'sent' and (o.aggregate_type, o.aggregate_id) > (w.aggregate_type, w.aggregate_id)
    order by o.aggregate_type, o.aggregate_id
    limit 1
  ) nx
  where w.n < :walkLimit::int
),
-- aggregates whose first unsent row is claimable
heads as (
  select w.aggregate_type, w.aggregate_id, w.n
  from walk w
  cross join lateral (
    select h.status, h.txid, h.next_attempt_at, h.claimed_until
    from outbox h
    where h.aggregate_type = w.aggregate_type and h.aggregate_id = w.aggregate_id and h.status <> 'sent'
    order by h.aggregate_version, h.txid, h.seq
    limit 1
  ) h
  where ${CLAIMABLE('h')}
),
-- each head's run: its rows in delivery order up to the first one that is not claimable; batch rows in all (the walk
-- is evaluated only as far as this needs)
picked as materialized (
  select r.*, hd.n
  from heads hd
  cross join lateral (
    select x.id, x.seq, x.txid, x.aggregate_type, x.aggregate_id, x.aggregate_version, x.event_type, x.payload,
      x.headers, x.created_at, x.attempts,
      row_number() over run as pos,
      bool_and(${CLAIMABLE('x')}) over run as claimable
    from outbox x
    where x.aggregate_type = hd.aggregate_type and x.aggregate_id = hd.aggregate_id and x.status <> 'sent'
    window run as (order by x.aggregate_version, x.txid, x.seq)
    order by x.aggregate_version, x.txid, x.seq
    limit :batch::int
  ) r
  where r.claimable
  limit :batch::int
),
-- the claim is recorded on each run's head only: while it is live no other claimer can take any row of the
-- aggregate (the head check above), so one row written per aggregate, not per row
locked as materialized (
  select o.id
  from outbox o
  where o.id = any (array(select id from picked where pos = 1))
    and o.status = 'pending' and (o.claimed_until is null or o.claimed_until < now())
  for update skip locked
),
claimed as (
  update outbox o
  set claimed_by = :relayId, claimed_until = now() + :leaseMs::float8 * interval '1 millisecond'
  where o.id = any (array(select id from locked))
  returning o.aggregate_type, o.aggregate_id
),
-- where the next claim continues: after the last aggregate looked at when the batch filled up, after the walk's end
-- when it stopped at walkLimit (more = true), nowhere when it reached the last aggregate (the one-time filters keep
-- the walk from being evaluated further than the claim needed)
marker as (
  (select p.aggregate_type, p.aggregate_id, true as more
   from picked p
   where (select count(*) from picked) >= :batch::int
   order by p.n desc
   limit 1)
  union all
  (select w.aggregate_type, w.aggregate_id, w.n >= :walkLimit::int as more
   from walk w
   where (select count(*) from picked) < :batch::int
   order by w.n desc
   limit 1)
)
select p.id, p.seq::text as seq, p.txid::text as txid, p.aggregate_type, p.aggregate_id,
  p.aggregate_version::text as aggregate_version, p.event_type, p.payload::text as payload_json, p.headers,
  p.created_at, p.attempts, p.n as walk_n, p.pos::text as pos, null::boolean as more
from picked p join claimed c on c.aggregate_type = p.aggregate_type and c.aggregate_id = p.aggregate_id
union all
select null, null, null, m.aggregate_type, m.aggregate_id, null, null, null, null, null, null, null, null, m.more
from marker m
`;
}

const CLAIM_FIRST = claimSql(false);
const CLAIM_AFTER = claimSql(true);

export interface ClaimOptions {
  /** Rows to claim at most. */
  batch: number;
  leaseMs: number;
  /** Continue the walk after this aggregate (default: from the first). */
  after?: AggregateKey;
  /** Aggregates looked at per claim at most (default 2 * batch, at least 64). */
  walkLimit?: number;
}

export interface Claim {
  /** The claimed rows, grouped by aggregate, each aggregate's rows in delivery order. */
  rows: OutboxRow[];
  /** Where the next claim should continue; undefined when the walk reached the last aggregate. */
  resumeAfter?: AggregateKey;
}

/** (aggregate_version, txid, seq), numerically: the order an aggregate's rows must reach Kafka in. */
export function compareDeliveryOrder(
  a: Pick<OutboxRow, 'aggregateVersion' | 'txid' | 'seq'>,
  b: Pick<OutboxRow, 'aggregateVersion' | 'txid' | 'seq'>,
): number {
  for (const [x, y] of [
    [a.aggregateVersion, b.aggregateVersion],
    [a.txid, b.txid],
    [a.seq, b.seq],
  ]) {
    const diff = BigInt(x) - BigInt(y);
    if (diff !== 0n) return diff < 0n ? -1 : 1;
  }
  return 0;
}

/** Claims up to `batch` due rows for `claimer` (one id per lane); see the header for the rules. */
export async function claimBatch(db: Knex, claimer: string, options: ClaimOptions): Promise<Claim> {
  const walkLimit = options.walkLimit ?? Math.max(2 * options.batch, 64);
  const result = await db.raw<{ rows: ClaimRecord[] }>(options.after ? CLAIM_AFTER : CLAIM_FIRST, {
    batch: options.batch,
    walkLimit,
    relayId: claimer,
    leaseMs: options.leaseMs,
    ...(options.after ? { afterType: options.after.aggregateType, afterId: options.after.aggregateId } : {}),
  });
  const claimed = result.rows.filter((r) => r.id !== null);
  const marker = result.rows.find((r) => r.id === null);
  claimed.sort((a, b) => a.walk_n - b.walk_n || Number(a.pos) - Number(b.pos));
  return {
    rows: claimed.map((r): OutboxRow => ({
      id: r.id as string,
      seq: r.seq,
      txid: r.txid,
      aggregateType: r.aggregate_type,
      aggregateId: r.aggregate_id,
      aggregateVersion: r.aggregate_version,
      eventType: r.event_type,
      payloadJson: r.payload_json,
      headers: r.headers ?? {},
      createdAt: r.created_at,
      attempts: r.attempts,
    })),
    resumeAfter: marker?.more
      ? { aggregateType: marker.aggregate_type, aggregateId: marker.aggregate_id }
      : undefined,
  };
}

/**
 * A lane's sweeps over the aggregates: each claim continues after the previous one, a sweep ends when the walk
 * reaches the last aggregate, and the next one starts again from the first (round robin, so no aggregate waits for
 * the whole backlog of the others). The lane may idle only after a whole sweep found nothing to claim.
 */
export class ClaimSweep {
  private cursor: AggregateKey | undefined;
  private claimedInSweep = false;

  /** Where the next claim continues (undefined: from the first aggregate). */
  get after(): AggregateKey | undefined {
    return this.cursor;
  }

  private turn: Promise<unknown> = Promise.resolve();

  /**
   * Runs `claim` from the current position once the previous claim of this sweep has finished (claims of the lanes
   * sharing a sweep take turns, each continuing where the last stopped) and records its outcome.
   */
  async next(
    claim: (after: AggregateKey | undefined) => Promise<Claim>,
  ): Promise<{ claim: Claim; more: boolean }> {
    const run = this.turn.then(async () => {
      const result = await claim(this.cursor);
      return { claim: result, more: this.advance(result) };
    });
    this.turn = run.catch(() => undefined);
    return run;
  }

  /** Records a claim's outcome; returns false when a whole sweep found nothing (the lane may idle). */
  advance(claim: Claim): boolean {
    if (claim.rows.length > 0) this.claimedInSweep = true;
    if (claim.resumeAfter) {
      this.cursor = claim.resumeAfter;
      return true;
    }
    const foundAny = this.claimedInSweep;
    this.cursor = undefined;
    this.claimedInSweep = false;
    return foundAny;
  }
}

/** Marks rows as delivered. Not tied to the claim: a row that reached Kafka is sent whoever holds it now. */
export async function markSent(db: Knex, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.raw(
    `update outbox set status = 'sent', sent_at = now(), claimed_by = null, claimed_until = null
     where id = any(:ids::uuid[]) and status = 'pending'`,
    { ids },
  );
}

/**
 * Extends the lease of rows `claimer` still holds (a send that outlives the lease must not let another lane take them
 * and send them again, maybe before this send lands). Returns how many were still held.
 */
export async function renewClaims(
  db: Knex,
  claimer: string,
  ids: string[],
  leaseMs: number,
): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await db.raw<{ rowCount: number }>(
    `update outbox set claimed_until = now() + :leaseMs::float8 * interval '1 millisecond'
     where id = any(:ids::uuid[]) and claimed_by = :claimer and status = 'pending'`,
    { ids, claimer, leaseMs },
  );
  return result.rowCount;
}

/** Gives claimed rows back untouched (attempts unchanged), e.g. when Kafka is unreachable. */
export async function releaseClaims(db: Knex, relayId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.raw(
    `update outbox set claimed_by = null, claimed_until = null where id = any(:ids::uuid[]) and claimed_by = :relayId`,
    { ids, relayId },
  );
}

export interface FailedRow {
  /** The first undelivered row of the run: it takes the attempt and the error. */
  id: string;
  /** The run's head when it was claimed (it carries the claim; may be `id` itself). */
  claimHeadId: string;
  error: string;
  /** Delay before the next attempt. */
  retryInMs: number;
}

/**
 * Records a failed send of a run's first undelivered row: attempts+1, last_error, next_attempt_at; status `dead` once
 * attempts reaches `maxAttempts`. It is (or, once the rows before it are marked sent, becomes) its aggregate's head,
 * so the rest of the aggregate waits behind it. Only while `claimer` still holds the run's claim: call it BEFORE
 * marking the rows before it sent (that clears the claim). Returns whether the row is now dead.
 */
export async function markFailed(
  db: Knex,
  claimer: string,
  failed: FailedRow,
  maxAttempts: number,
): Promise<boolean> {
  const result = await db.raw<{ rows: { status: string }[] }>(
    `update outbox
     set attempts = attempts + 1,
         last_error = :error,
         status = case when attempts + 1 >= :maxAttempts::int then 'dead' else 'pending' end,
         next_attempt_at = now() + :retryInMs::float8 * interval '1 millisecond',
         claimed_by = null, claimed_until = null
     where id = :id and status = 'pending'
       and exists (select 1 from outbox h where h.id = :claimHeadId and h.claimed_by = :claimer and h.status = 'pending')
     returning status`,
    {
      error: failed.error.slice(0, 4000),
      maxAttempts,
      retryInMs: failed.retryInMs,
      id: failed.id,
      claimHeadId: failed.claimHeadId,
      claimer,
    },
  );
  return result.rows[0]?.status === 'dead';
}

/** Deletes up to `limit` sent rows older than `retentionHours`; returns how many. */
export async function deleteSentBatch(db: Knex, retentionHours: number, limit: number): Promise<number> {
  const result = await db.raw<{ rowCount: number }>(
    `delete from outbox where id in (
       select id from outbox where status = 'sent' and sent_at < now() - :retentionHours::float8 * interval '1 hour' limit :limit::int
     )`,
    { retentionHours, limit },
  );
  return result.rowCount;
}
