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

/**
 * The migrations of one folder, named as their .ts source whether they run from it (tsx, jest) or compiled
 * (dist/migrations/<database>/*.js under `npm start`): knex_migrations records each applied migration by that name,
 * and a compiled run must see the same ones as applied.
 */
export class MigrationFiles implements Knex.MigrationSource<string> {
  constructor(private readonly dir: string) {}

  async getMigrations(): Promise<string[]> {
    const files = await fs.promises.readdir(this.dir);
    return files.filter((file) => /\.(ts|js)$/.test(file) && !file.endsWith('.d.ts')).sort();
  }

  getMigrationName(file: string): string {
    return file.replace(/\.js$/, '.ts');
  }

  getMigration(file: string): Promise<Knex.Migration> {
    // require as knex does: under `tsx/cjs` (the dtx bin run from source) import() of a .ts file finds no loader
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return Promise.resolve(require(path.join(this.dir, file)) as Knex.Migration);
  }
}

/** Applies the pending migrations of `database`; returns the names applied by this call. Needs a pool of >= 2. */
export async function migrateDatabase(db: Knex, database: DatabaseName): Promise<string[]> {
  const config: Knex.MigratorConfig = {
    migrationSource: new MigrationFiles(migrationsDir(database)),
    tableName: MIGRATIONS_TABLE,
  };
  return db.transaction(async (lock) => {
    // the lock is held by this transaction's connection while knex migrates on others from the pool
    await lock.raw('select pg_advisory_xact_lock(?)', [MIGRATE_LOCK_KEY]);
    const [, applied] = (await db.migrate.latest(config)) as [number, string[]];
    return applied;
  });
}
