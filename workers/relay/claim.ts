/**
 * The relay's SQL: claim due rows in commit order, mark them sent, failed or released, delete old sent rows.
 *
 * Claiming (why it is safe with several relays):
 * - Only rows whose txid is older than every running transaction (`txid < pg_snapshot_xmin(pg_current_snapshot())`)
 *   are claimed: their transaction has committed and no transaction that could still add a row ordered before them
 *   is running, so the claimable set only ever grows as a prefix of the (txid, seq) order (the ordering trap of
 *   design.md: seq is taken before commit, so "seq > last seen" would skip rows).
 * - We claim, per aggregate, a run of rows that starts at the aggregate's FIRST unsent row and has no hole (rather
 *   than only head rows, one per aggregate per round trip, which caps a busy aggregate at one event per round trip).
 *   While a run is claimed (lease live), its head row is claimed, so no other relay can claim any row of that
 *   aggregate: the "head must be claimable" filter and the hole check below both see the claimed head. A dead or
 *   backing-off head blocks its aggregate the same way, which is how later rows wait behind a dead one.
 * - `FOR UPDATE SKIP LOCKED` keeps concurrent claimers off each other's rows; a skipped row (another relay is
 *   claiming or marking it right now) shows up as a hole, and everything behind a hole is left for a later round.
 * - The claim (claimed_by, claimed_until) is committed by this single statement before anything is sent; no
 *   transaction stays open while Kafka is called. A relay that dies leaves a lease that simply expires.
 */
import type { Knex } from 'knex';
import type { OutboxRow } from '../../outbox/types';

interface ClaimedRecord {
  id: string;
  seq: string;
  txid: string;
  aggregate_type: string;
  aggregate_id: string;
  event_type: string;
  payload_json: string;
  headers: Record<string, unknown> | null;
  created_at: Date;
  attempts: number;
}

const CLAIM_SQL = `
with horizon as materialized (
  select pg_snapshot_xmin(pg_current_snapshot()) as xmin
),
candidates as materialized (
  select o.id, o.aggregate_type, o.aggregate_id, o.txid, o.seq
  from outbox o
  where o.status = 'pending'
    and o.txid < (select xmin from horizon)
    and o.next_attempt_at <= now()
    and (o.claimed_until is null or o.claimed_until < now())
    -- skip aggregates whose first unsent row is dead, backing off or claimed, so they cannot fill the batch
    and exists (
      select 1 from (
        select h.status, h.next_attempt_at, h.claimed_until
        from outbox h
        where h.aggregate_type = o.aggregate_type and h.aggregate_id = o.aggregate_id and h.status <> 'sent'
        order by h.txid, h.seq
        limit 1
      ) head
      where head.status = 'pending' and head.next_attempt_at <= now()
        and (head.claimed_until is null or head.claimed_until < now())
    )
  order by o.txid, o.seq
  limit :batch::int
  for update of o skip locked
),
checked as (
  select c.id, c.aggregate_type, c.aggregate_id,
    row_number() over (partition by c.aggregate_type, c.aggregate_id order by c.txid, c.seq) as pos,
    -- the previous unsent row of the aggregate must be in this claim too (or not exist): no holes
    (pred.id is null or pred.id in (select id from candidates)) as predecessor_held
  from candidates c
  left join lateral (
    select p.id from outbox p
    where p.aggregate_type = c.aggregate_type and p.aggregate_id = c.aggregate_id and p.status <> 'sent'
      and (p.txid, p.seq) < (c.txid, c.seq)
    order by p.txid desc, p.seq desc
    limit 1
  ) pred on true
),
first_hole as (
  select aggregate_type, aggregate_id, min(pos) as pos from checked where not predecessor_held group by 1, 2
),
claimable as (
  select ch.id from checked ch left join first_hole fh using (aggregate_type, aggregate_id)
  where fh.pos is null or ch.pos < fh.pos
)
update outbox o
set claimed_by = :relayId, claimed_until = now() + :leaseMs::float8 * interval '1 millisecond'
from claimable
where o.id = claimable.id
returning o.id, o.seq::text as seq, o.txid::text as txid, o.aggregate_type, o.aggregate_id, o.event_type,
  o.payload::text as payload_json, o.headers, o.created_at, o.attempts
`;

/** (txid, seq) order: the order rows must reach Kafka in, per aggregate. */
export function compareCommitOrder(
  a: Pick<OutboxRow, 'txid' | 'seq'>,
  b: Pick<OutboxRow, 'txid' | 'seq'>,
): number {
  const byTx = BigInt(a.txid) - BigInt(b.txid);
  if (byTx !== 0n) return byTx < 0n ? -1 : 1;
  const bySeq = BigInt(a.seq) - BigInt(b.seq);
  return bySeq === 0n ? 0 : bySeq < 0n ? -1 : 1;
}

/** Claims up to `batch` due rows for `relayId` (lease `leaseMs`); returns them in (txid, seq) order. */
export async function claimBatch(
  db: Knex,
  relayId: string,
  batch: number,
  leaseMs: number,
): Promise<OutboxRow[]> {
  const result = await db.raw<{ rows: ClaimedRecord[] }>(CLAIM_SQL, { batch, relayId, leaseMs });
  return result.rows
    .map((r): OutboxRow => ({
      id: r.id,
      seq: r.seq,
      txid: r.txid,
      aggregateType: r.aggregate_type,
      aggregateId: r.aggregate_id,
      eventType: r.event_type,
      payloadJson: r.payload_json,
      headers: r.headers ?? {},
      createdAt: r.created_at,
      attempts: r.attempts,
    }))
    .sort(compareCommitOrder);
}

/** Whether committed rows wait for an older transaction still running (they become claimable when it ends). */
export async function rowsBehindHorizon(db: Knex): Promise<boolean> {
  const result = await db.raw<{ rows: { waiting: boolean }[] }>(
    `select exists (
       select 1 from outbox where status = 'pending' and txid >= pg_snapshot_xmin(pg_current_snapshot())
     ) as waiting`,
  );
  return result.rows[0].waiting;
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

/** Gives claimed rows back untouched (attempts unchanged), e.g. when Kafka is unreachable. */
export async function releaseClaims(db: Knex, relayId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.raw(
    `update outbox set claimed_by = null, claimed_until = null where id = any(:ids::uuid[]) and claimed_by = :relayId`,
    { ids, relayId },
  );
}

export interface FailedHead {
  id: string;
  error: string;
  /** Delay before the next attempt. */
  retryInMs: number;
}

/**
 * Records a failed send of an aggregate's head row: attempts+1, last_error, next_attempt_at; status `dead` once
 * attempts reaches `maxAttempts`. The rest of the aggregate's claimed run is released and waits behind it.
 * Returns whether the head is now dead.
 */
export async function markFailed(
  db: Knex,
  relayId: string,
  head: FailedHead,
  restIds: string[],
  maxAttempts: number,
): Promise<boolean> {
  return db.transaction(async (trx) => {
    const result = await trx.raw<{ rows: { status: string }[] }>(
      `update outbox
       set attempts = attempts + 1,
           last_error = :error,
           status = case when attempts + 1 >= :maxAttempts::int then 'dead' else 'pending' end,
           next_attempt_at = now() + :retryInMs::float8 * interval '1 millisecond',
           claimed_by = null, claimed_until = null
       where id = :id and claimed_by = :relayId and status = 'pending'
       returning status`,
      { error: head.error.slice(0, 4000), maxAttempts, retryInMs: head.retryInMs, id: head.id, relayId },
    );
    await releaseClaims(trx, relayId, restIds);
    return result.rows[0]?.status === 'dead';
  });
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
