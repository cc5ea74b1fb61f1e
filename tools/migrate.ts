/**
 * `npm run migrate [-- <db> ...]`: creates the missing dtx databases, then applies pending migrations of every
 * one (the services' and timeline). DTX_DB_PREFIX picks which set: npm test runs it with `test_` (test_dtx_*).
 */
import { DATABASE_NAMES, loadConfig, type DatabaseName } from '../common/config';
import { createDb } from '../common/db';
import { createLogger } from '../common/logger';
import { hasMigrations, migrateDatabase } from '../common/migrate';
import { ensureDatabases } from '../stack/postgres';

async function main(): Promise<void> {
  const log = createLogger('migrate');
  const config = loadConfig();
  const requested = process.argv.slice(2).filter((a) => a !== '--');
  for (const name of requested) {
    if (!(DATABASE_NAMES as readonly string[]).includes(name))
      throw new Error(`unknown database "${name}" (one of ${DATABASE_NAMES.join(', ')})`);
  }
  const created = await ensureDatabases(config);
  if (created.length > 0) log.info({ created }, 'databases created');
  const databases = (requested.length > 0 ? requested : DATABASE_NAMES) as DatabaseName[];
  for (const database of databases) {
    const pgDatabase = new URL(config.databases[database]).pathname.slice(1);
    if (!hasMigrations(database)) {
      log.info({ database, pgDatabase }, 'no migrations folder; skipped');
      continue;
    }
    const db = createDb(database, {
      url: config.databases[database],
      poolMax: 3,
      applicationName: 'dtx-migrate',
    });
    try {
      const applied = await migrateDatabase(db, database);
      log.info({ database, pgDatabase, applied }, applied.length > 0 ? 'migrated' : 'up to date');
    } finally {
      await db.destroy();
    }
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
