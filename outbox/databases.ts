/** The outbox databases a relay (or the API/CLI) works on: one knex pool per URL, named after the database. */
import knex, { type Knex } from 'knex';
import { loadConfig } from '../common/config';
import { createLogger } from '../common/logger';

export interface OutboxDatabase {
  /** The database's name (path of its URL), e.g. dtx_order. */
  name: string;
  url: string;
  db: Knex;
}

/** The database name in a PostgreSQL URL. */
export function databaseNameOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'postgres';
}

/** Opens a pool per URL (default: config.relay.databaseUrls, the four service databases). */
export function openOutboxDatabases(
  urls: readonly string[] = loadConfig().relay.databaseUrls,
  options: { poolMax?: number; applicationName?: string } = {},
): OutboxDatabase[] {
  const logger = createLogger('outbox-db');
  // knex prints pool warnings (e.g. "Acquire connection error" while a database restarts) to the console by default
  const log = {
    warn: (message: unknown) => logger.warn({ knex: String(message) }, 'knex warning'),
    error: (message: unknown) => logger.error({ knex: String(message) }, 'knex error'),
    deprecate: (message: unknown) => logger.debug({ knex: String(message) }, 'knex deprecation'),
    debug: (message: unknown) => logger.debug({ knex: String(message) }, 'knex debug'),
  };
  return urls.map((url) => ({
    name: databaseNameOf(url),
    url,
    db: knex({
      client: 'pg',
      connection: {
        connectionString: url,
        application_name: options.applicationName ?? 'dtx-outbox',
        // short queries only: JIT compilation (100+ ms when a misestimate crosses jit_above_cost) never pays here
        options: '-c jit=off',
      },
      pool: { min: 0, max: options.poolMax ?? 4 },
      acquireConnectionTimeout: 10_000,
      log,
    }),
  }));
}

export async function closeOutboxDatabases(databases: readonly OutboxDatabase[]): Promise<void> {
  await Promise.all(databases.map((d) => d.db.destroy()));
}

/** Runs `work` on databases opened from config (or the given ones, left open). */
export async function withOutboxDatabases<T>(
  given: readonly OutboxDatabase[] | undefined,
  work: (databases: readonly OutboxDatabase[]) => Promise<T>,
): Promise<T> {
  if (given) return work(given);
  const opened = openOutboxDatabases();
  try {
    return await work(opened);
  } finally {
    await closeOutboxDatabases(opened);
  }
}
