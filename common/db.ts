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

/**
 * Deletes the rows of `table` whose `column` is older than `days`, in batches (short transactions, no long lock);
 * `where` narrows it further (SQL with `?` placeholders and its `bindings`). Returns how many rows went.
 */
export async function deleteOlderThan(
  db: Knex,
  options: {
    table: string;
    column: string;
    days: number;
    where?: string;
    bindings?: Knex.Value[];
    batchSize?: number;
  },
): Promise<number> {
  const { table, column, days, where, bindings = [], batchSize = 5000 } = options;
  let total = 0;
  for (;;) {
    const result = await db.raw<{ rowCount: number }>(
      `delete from ?? where ctid in (
         select ctid from ?? where ?? < now() - make_interval(days => ?)${where ? ` and (${where})` : ''} limit ?)`,
      [table, table, column, days, ...bindings, batchSize],
    );
    total += result.rowCount;
    if (result.rowCount < batchSize) return total;
  }
}
