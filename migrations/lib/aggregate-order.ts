/**
 * DDL of the per-aggregate delivery order (docs/design.md, outbox ordering): every event carries the position its aggregate
 * row had when the event's transaction changed it (`aggregate_version`, bumped in the same UPDATE, so taken under
 * the row lock and therefore in commit order). The relay sends each aggregate's rows in that order.
 */
import type { Knex } from 'knex';

/**
 * outbox.aggregate_version and the indexes the relay's queries walk. Rows written before (or by a writer that has no
 * aggregate row, e.g. the benchmark) have version 0 and keep their (txid, seq) order among themselves.
 */
export async function addOutboxAggregateOrder(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table outbox add column aggregate_version bigint not null default 0;
    -- the claim walks aggregates in key order and reads each one's unsent rows in delivery order
    create index outbox_aggregate_order on outbox (aggregate_type, aggregate_id, aggregate_version, txid, seq)
      where status <> 'sent';
    drop index outbox_aggregate;
    -- the idle relay's next wake-up: only rows that failed at least once wait for a later attempt
    create index outbox_retry_due on outbox (next_attempt_at) where status = 'pending' and attempts > 0;
    -- dead letters, paged by seq
    create index outbox_dead on outbox (seq) where status = 'dead';
  `);
}

/** A `version` column on an aggregate table, bumped by every change that writes an event. */
export async function addAggregateVersion(knex: Knex, table: string): Promise<void> {
  await knex.raw(`alter table ?? add column version bigint not null default 1`, [table]);
}
