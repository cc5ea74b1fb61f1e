/** tx_barrier.fingerprint: the hash of the request a forward row was written for (docs/design.md, "Retention"). */
import type { Knex } from 'knex';

export async function addBarrierFingerprint(knex: Knex): Promise<void> {
  // '' on rows written before this column and on the rows compensations/confirms write: they carry no request
  await knex.raw(`alter table tx_barrier add column fingerprint text not null default ''`);
}
