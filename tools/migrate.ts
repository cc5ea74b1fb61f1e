/** `npm run migrate [-- <db> ...]`: applies pending migrations of every dtx database (the services' and timeline). */
import { DATABASE_NAMES, type DatabaseName } from '../common/config';
import { createDb } from '../common/db';
import { createLogger } from '../common/logger';
import { hasMigrations, migrateDatabase } from '../services/migrate';

async function main(): Promise<void> {
  const log = createLogger('migrate');
  const requested = process.argv.slice(2).filter((a) => a !== '--');
  for (const name of requested) {
    if (!(DATABASE_NAMES as readonly string[]).includes(name))
      throw new Error(`unknown database "${name}" (one of ${DATABASE_NAMES.join(', ')})`);
  }
  const databases = (requested.length > 0 ? requested : DATABASE_NAMES) as DatabaseName[];
  for (const database of databases) {
    if (!hasMigrations(database)) {
      log.info({ database }, 'no migrations folder; skipped');
      continue;
    }
    const db = createDb(database, { poolMax: 3, applicationName: 'dtx-migrate' });
    try {
      const applied = await migrateDatabase(db, database);
      log.info({ database, applied }, applied.length > 0 ? 'migrated' : 'up to date');
    } finally {
      await db.destroy();
    }
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
