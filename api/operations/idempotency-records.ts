/**
 * The API's own Idempotency-Key records (`idempotency_keys` in dtx_api). The workflow memo answers a repeat only while
 * Temporal keeps the run; these records outlive that (DTX_IDEMPOTENCY_RETENTION_DAYS >= the barrier's retention), so a
 * key reused with another body is refused even after the run was purged.
 */
import type { Knex } from 'knex';
import { deleteOlderThan } from '../../common/db';

/** What a key was first used for. */
export interface IdempotencyRecord {
  orderId: string;
  requestHash: string;
}

/** A claim's answer: the record that holds, and whether this call recorded it (no earlier request used the key). */
export interface IdempotencyClaim extends IdempotencyRecord {
  fresh: boolean;
}

export interface IdempotencyRecords {
  /** Records the key unless it is known; returns the record that holds (the first request's). */
  claim(customerId: string, key: string, record: IdempotencyRecord): Promise<IdempotencyClaim>;
  /** Deletes records past DTX_IDEMPOTENCY_RETENTION_DAYS; returns how many went. */
  purgeExpired(): Promise<number>;
}

interface Row {
  order_id: string;
  request_hash: string;
}

const toRecord = (row: Row): IdempotencyRecord => ({ orderId: row.order_id, requestHash: row.request_hash });

export async function claimIdempotencyKey(
  db: Knex,
  customerId: string,
  key: string,
  record: IdempotencyRecord,
): Promise<IdempotencyClaim> {
  // insert-or-read in one statement per branch: concurrent first requests agree on the row that won
  const inserted = await db.raw<{ rows: Row[] }>(
    `insert into idempotency_keys (customer_id, key, request_hash, order_id) values (?, ?, ?, ?)
     on conflict (customer_id, key) do nothing
     returning order_id, request_hash`,
    [customerId, key, record.requestHash, record.orderId],
  );
  if (inserted.rows[0]) return { ...toRecord(inserted.rows[0]), fresh: true };
  const read = await db.raw<{ rows: Row[] }>(
    `select order_id, request_hash from idempotency_keys where customer_id = ? and key = ?`,
    [customerId, key],
  );
  const existing = read.rows[0];
  if (!existing) throw new Error(`idempotency key ${customerId}/${key} vanished between insert and read`);
  return { ...toRecord(existing), fresh: false };
}

/** Deletes records older than `retentionDays`, in batches; returns how many went. */
export function purgeIdempotencyKeys(db: Knex, retentionDays: number): Promise<number> {
  return deleteOlderThan(db, { table: 'idempotency_keys', column: 'created_at', days: retentionDays });
}
