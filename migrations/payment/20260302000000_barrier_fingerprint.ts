/** The barrier keeps each forward call's request fingerprint, so a repeat with another request is refused. */
import type { Knex } from 'knex';
import { addBarrierFingerprint } from '../lib/barrier-fingerprint';

export async function up(knex: Knex): Promise<void> {
  await addBarrierFingerprint(knex);
}

/** Forward-only: knex requires a down, so it refuses; fix forward with a new migration instead. */
export function down(): Promise<void> {
  return Promise.reject(new Error('dtx migrations are forward-only'));
}
