/** The steps `npm start` runs before and between starting the parts: the stack, the migrations, the first-run seed. */
import { DATABASE_NAMES, type Config } from '../../common/config';
import { createDb } from '../../common/db';
import { hasMigrations, migrateDatabase } from '../../services/migrate';
import { createServiceClients } from '../../services/rpc/clients';
import { stackUp, type Reporter } from '../stack';
import { isSeeded, seedDemoData, summaryLine } from './seed-data';

/** Temporal, Kafka and PostgreSQL: reused when they answer, started when not (fetched/built on the very first run). */
export async function ensureStack(config: Config, out: Reporter): Promise<void> {
  await stackUp({ config, out });
}

/** Applies pending migrations of every dtx database, one at a time (the parts start with --no-migrate). */
export async function migrateAll(config: Config, report: (text: string) => void): Promise<void> {
  const results: string[] = [];
  for (const database of DATABASE_NAMES) {
    if (!hasMigrations(database)) continue;
    const db = createDb(database, { url: config.databases[database], poolMax: 3, applicationName: 'dtx-start-migrate' });
    try {
      const applied = await migrateDatabase(db, database);
      results.push(applied.length > 0 ? `${database} +${applied.length}` : `${database} up to date`);
    } finally {
      await db.destroy();
    }
  }
  report(`migrations: ${results.join(', ')}`);
}

/** Seeds the demo data when any of it is missing (first run); otherwise leaves the databases alone. */
export async function seedOnFirstRun(config: Config, report: (text: string) => void): Promise<void> {
  const clients = createServiceClients(config.serviceAddresses);
  try {
    if (await isSeeded(clients)) {
      report('demo data present (products, coupons, wallets); not seeding');
      return;
    }
    report(summaryLine(await seedDemoData(clients)));
  } finally {
    clients.close();
  }
}
