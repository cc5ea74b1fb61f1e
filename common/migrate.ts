/** Runs the knex migrations of one dtx database (forward-only), safe when several processes migrate at once. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Knex } from 'knex';
import type { DatabaseName } from './config';

export const MIGRATIONS_ROOT = path.resolve(__dirname, '..', 'migrations');
/** Every database keeps its own knex bookkeeping table (each database is separate, so the default name is fine). */
export const MIGRATIONS_TABLE = 'knex_migrations';
// pg_advisory_xact_lock key: one migrate run per database at a time; the others wait instead of failing on
// knex's lock table ("Migration table is already locked")
const MIGRATE_LOCK_KEY = 0x647478; // "dtx"

export function migrationsDir(database: DatabaseName): string {
  return path.join(MIGRATIONS_ROOT, database);
}

/** Whether migrations/<database>/ exists (timeline's folder is written by another component). */
export function hasMigrations(database: DatabaseName): boolean {
  return fs.existsSync(migrationsDir(database));
}

/** Applies the pending migrations of `database`; returns the names applied by this call. Needs a pool of >= 2. */
export async function migrateDatabase(db: Knex, database: DatabaseName): Promise<string[]> {
  const config: Knex.MigratorConfig = {
    directory: migrationsDir(database),
    tableName: MIGRATIONS_TABLE,
    loadExtensions: ['.ts'],
  };
  return db.transaction(async (lock) => {
    // the lock is held by this transaction's connection while knex migrates on others from the pool
    await lock.raw('select pg_advisory_xact_lock(?)', [MIGRATE_LOCK_KEY]);
    const [, applied] = (await db.migrate.latest(config)) as [number, string[]];
    return applied;
  });
}
