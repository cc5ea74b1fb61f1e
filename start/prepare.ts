/** The steps `npm start` runs before and between starting the parts: the stack, the migrations, the first-run seed. */
import { DATABASE_NAMES, SERVICE_NAMES, splitHostPort, type Config } from '../common/config';
import { createDb } from '../common/db';
import { hasMigrations, migrateDatabase } from '../common/migrate';
import { createServiceClients } from '../services/rpc/clients';
import { stackUp, type Reporter } from '../stack';
import { isPortFree, portOwner } from '../stack/ports';
import { isSeeded, seedDemoData, summaryLine } from '../demo/seed-data';

/** A reason `npm start` cannot go on that needs no stack trace. */
export class StartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartError';
  }
}

/** Fails early, naming the holder, when a part's address is taken (typically by another `npm start`). */
export async function assertPartAddressesFree(config: Config): Promise<void> {
  const wanted = [
    ...SERVICE_NAMES.map((service) => ({
      what: `${service} service`,
      address: config.serviceAddresses[service],
      envVar: `DTX_${service.toUpperCase()}_ADDR=127.0.0.1:<port>`,
    })),
    { what: 'API', address: `${config.api.host}:${config.api.port}`, envVar: 'DTX_API_PORT=<port>' },
  ];
  const busy: string[] = [];
  for (const { what, address, envVar } of wanted) {
    const { host, port } = splitHostPort(address);
    if (await isPortFree(host, port)) continue;
    busy.push(
      `${address} (${what}) is in use by ${portOwner(port) ?? 'another process'}; move it with ${envVar}`,
    );
  }
  if (busy.length > 0) {
    throw new StartError(
      `${busy.join('\n')}\nIs dtx already running (another \`npm start\`)? Stop it first.`,
    );
  }
}

/** Temporal, Kafka and PostgreSQL: reused when they answer, started when not (fetched/built on the very first run). */
export async function ensureStack(config: Config, out: Reporter): Promise<void> {
  await stackUp({ config, out });
}

/** Applies pending migrations of every dtx database, one at a time (the parts start with --no-migrate). */
export async function migrateAll(config: Config, report: (text: string) => void): Promise<void> {
  const results: string[] = [];
  for (const database of DATABASE_NAMES) {
    if (!hasMigrations(database)) continue;
    const db = createDb(database, {
      url: config.databases[database],
      poolMax: 3,
      applicationName: 'dtx-start-migrate',
    });
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
