/** Throwaway databases (`dtx_<prefix>_<random>`) with an outbox table, for the relay's tests and benchmark. */
import { randomBytes } from 'node:crypto';
import knex, { type Knex } from 'knex';
import { loadConfig } from '../../common/config';
import { addOutboxAggregateOrder } from '../../migrations/lib/aggregate-order';
import { createOutboxTable } from '../../migrations/lib/tables';

export interface ScratchDatabase {
  name: string;
  url: string;
  db: Knex;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

function urlFor(serverUrl: string, database: string): string {
  const parsed = new URL(serverUrl);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Creates `dtx_<prefix>_<random>` on the dtx PostgreSQL server, with the services' outbox table unless told not to. */
export async function createScratchDatabase(
  prefix: string,
  options: { outbox?: boolean; poolMax?: number } = {},
): Promise<ScratchDatabase> {
  const serverUrl = loadConfig().postgresServerUrl;
  const name = `dtx_${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = knex({ client: 'pg', connection: serverUrl, pool: { min: 0, max: 1 } });
  try {
    await admin.raw(`create database ${name}`);
  } finally {
    await admin.destroy();
  }
  const url = urlFor(serverUrl, name);
  const db = knex({
    client: 'pg',
    connection: { connectionString: url, application_name: name },
    pool: { min: 0, max: options.poolMax ?? 10 },
  });
  if (options.outbox !== false) {
    // the outbox as the service migrations leave it
    await createOutboxTable(db);
    await addOutboxAggregateOrder(db);
  }
  return {
    name,
    url,
    db,
    async drop() {
      await db.destroy();
      const dropper = knex({ client: 'pg', connection: serverUrl, pool: { min: 0, max: 1 } });
      try {
        await dropper.raw(`drop database if exists ${name} with (force)`);
      } finally {
        await dropper.destroy();
      }
    },
  };
}
