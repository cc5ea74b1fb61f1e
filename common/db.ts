/** Knex for one dtx database, URL from common/config; a modest pool because every process opens several. */
import knex, { type Knex } from 'knex';
import { loadConfig, type DatabaseName } from './config';
import { createLogger } from './logger';

export type { Knex } from 'knex';

export interface DbOptions {
  /** Connection URL; default: the database's URL from config. */
  url?: string;
  /** Max pool size (default 10). */
  poolMax?: number;
  /** Shown in pg_stat_activity. */
  applicationName?: string;
}

/**
 * A knex instance for `database`. int8/numeric columns come back as strings (pg's default, kept so money never
 * loses precision silently); convert them where read.
 */
export function createDb(database: DatabaseName, options: DbOptions = {}): Knex {
  const url = options.url ?? loadConfig().databases[database];
  return knex({
    client: 'pg',
    connection: { connectionString: url, application_name: options.applicationName ?? `dtx-${database}` },
    pool: { min: 0, max: options.poolMax ?? 10 },
    acquireConnectionTimeout: 10_000,
    // knex's own warnings (e.g. connection errors) go to the JSON log instead of console.log
    log: knexLog(database),
  });
}

function knexLog(database: string): Knex.Config['log'] {
  const log = createLogger('knex', { database });
  return {
    warn: (message: unknown) => log.warn(String(message)),
    error: (message: unknown) => log.error(String(message)),
    deprecate: (method: string, alternative: string) =>
      log.warn(`${method} is deprecated, use ${alternative}`),
    debug: (message: unknown) => log.debug(String(message)),
  };
}
