/**
 * dtx_payment, async payments (issue 14): an Authorize records kind AUTHORIZE as PENDING until the provider reports
 * SUCCEEDED or DECLINED; provider_result keeps what the provider said, so a repeated report is recognised and a
 * success after a cancelled authorization is refunded once. Forward-only.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table payments drop constraint payments_kind_check;
    alter table payments add constraint payments_kind_check
      check (kind in ('CHARGE', 'FREEZE', 'CREDIT', 'AUTHORIZE'));
    alter table payments drop constraint payments_state_check;
    alter table payments add constraint payments_state_check
      check (state in ('CHARGED', 'REFUNDED', 'FROZEN', 'CONFIRMED', 'CANCELLED', 'CREDITED',
                       'PENDING', 'SUCCEEDED', 'DECLINED'));
    alter table payments add column provider_result text
      check (provider_result in ('SUCCEEDED', 'DECLINED'));
    alter table payments add column settled_at timestamptz;
  `);
}

export function down(): Promise<void> {
  return Promise.reject(new Error('dtx migrations are forward-only'));
}
