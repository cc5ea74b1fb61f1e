/**
 * Once per `jest` run that includes integration tests: refuses the shop's names (test/support/env.ts; jest.config.js
 * has set the test names), then prepares what `npm test`'s stack and migrate stages do, so a bare `npx jest` works
 * too: the test databases created and migrated, the test namespace registered with dtx's search attributes.
 * Idempotent and quick when they exist. Needs the stack running (`dtx stack up`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DATABASE_NAMES, loadConfig } from '../../common/config';
import { createDb } from '../../common/db';
import { hasMigrations, migrateDatabase } from '../../common/migrate';
import { ensureNamespace } from '../../stack/namespace';
import { ensureDatabases } from '../../stack/postgres';
import { ensureSearchAttributes } from '../../stack/temporal';
import { assertApartFromStart, LOGS_DIR } from './env';

export default async function globalSetup(): Promise<void> {
  const config = loadConfig();
  assertApartFromStart(config);
  // this process's own logs (knex while migrating) stay out of the terminal too; only while it prepares, so the
  // tests' child processes never inherit this file
  fs.mkdirSync(LOGS_DIR, { recursive: true });
  const inherited = process.env.DTX_LOG_FILE;
  process.env.DTX_LOG_FILE = path.join(LOGS_DIR, 'global-setup.log');
  try {
    await ensureDatabases(config);
    for (const database of DATABASE_NAMES) {
      if (!hasMigrations(database)) continue;
      const db = createDb(database, {
        url: config.databases[database],
        poolMax: 3,
        applicationName: 'dtx-test-setup',
      });
      try {
        await migrateDatabase(db, database);
      } finally {
        await db.destroy();
      }
    }
    await ensureNamespace(config);
    await ensureSearchAttributes(config);
  } finally {
    if (inherited === undefined) delete process.env.DTX_LOG_FILE;
    else process.env.DTX_LOG_FILE = inherited;
  }
}
