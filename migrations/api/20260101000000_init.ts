/** dtx_api: what the HTTP API itself must remember — the Idempotency-Key records. Forward-only. */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    -- one row per (customer, key): which order the key made and the hash of the request that made it; kept
    -- DTX_IDEMPOTENCY_RETENTION_DAYS (>= the barrier's retention), longer than Temporal keeps a closed run
    create table idempotency_keys (
      customer_id  text        not null,
      key          text        not null,
      request_hash text        not null,
      order_id     text        not null,
      created_at   timestamptz not null default now(),
      primary key (customer_id, key)
    );
    create index idempotency_keys_created_at on idempotency_keys (created_at);
  `);
}

/** Forward-only: knex requires a down, so it refuses; fix forward with a new migration instead. */
export function down(): Promise<void> {
  return Promise.reject(new Error('dtx migrations are forward-only'));
}
