/**
 * Starts one domain service in this process: its database (migrated on start), its gRPC server (rpc/server.ts)
 * and the barrier cleanup job. Used by the launcher and by tests (address 127.0.0.1:0, their own faults spec).
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { loadConfig, type Config, type ServiceName } from '../common/config';
import { createDb } from '../common/db';
import { createLogger } from '../common/logger';
import { cleanupBarrier } from './barrier';
import { couponHandlers } from './coupon/handlers';
import { inventoryHandlers } from './inventory/handlers';
import { migrateDatabase } from '../common/migrate';
import { orderHandlers } from './order/handlers';
import { paymentHandlers } from './payment/handlers';
import { parseFaults } from './rpc/faults';
import { serviceDefinition } from './rpc/protos';
import { startGrpcServer, type RunningGrpcServer, type UnaryImpl } from './rpc/server';

// each factory is typed against its generated XxxServiceHandlers; the server only needs the method table
const HANDLERS: Record<ServiceName, (db: Knex) => object> = {
  order: orderHandlers,
  inventory: inventoryHandlers,
  coupon: couponHandlers,
  payment: paymentHandlers,
};

export interface StartServiceOptions {
  /** host:port to bind; default from config (DTX_<SERVICE>_ADDR). Port 0 = ephemeral. */
  address?: string;
  /** DTX_FAULTS spec; default config.faults. */
  faults?: string;
  /** Database URL; default from config. */
  dbUrl?: string;
  /** Run the migrations before serving (default true). */
  migrate?: boolean;
  healthIntervalMs?: number;
  /** How often old barrier rows are deleted (default hourly; first run one minute after start). */
  cleanupIntervalMs?: number;
  logger?: Logger;
  config?: Config;
}

export interface RunningService extends RunningGrpcServer {
  db: Knex;
  /** Graceful: drains calls (up to graceMs), stops the cleanup job, closes the database pool. */
  stop(graceMs?: number): Promise<void>;
}

export async function startService(
  service: ServiceName,
  options: StartServiceOptions = {},
): Promise<RunningService> {
  const config = options.config ?? loadConfig();
  const logger = options.logger ?? createLogger(service);
  const faults = options.faults ?? config.faults;
  // an invalid DTX_FAULTS fails the start before anything is opened
  parseFaults(faults, (s) => Object.keys(serviceDefinition(s)));
  const db = createDb(service, {
    url: options.dbUrl ?? config.databases[service],
    applicationName: `dtx-${service}-service`,
  });
  try {
    if (options.migrate ?? true) {
      const applied = await migrateDatabase(db, service);
      if (applied.length > 0) logger.info({ applied }, 'migrations applied');
    }
    const server = await startGrpcServer({
      service,
      handlers: HANDLERS[service](db) as Record<string, UnaryImpl<never, unknown>>,
      db,
      address: options.address ?? config.serviceAddresses[service],
      faults,
      logger,
      healthIntervalMs: options.healthIntervalMs,
      security: config.grpc,
    });

    const cleanupEvery = options.cleanupIntervalMs ?? 3_600_000;
    const cleanup = async (): Promise<void> => {
      try {
        const deleted = await cleanupBarrier(db, config.barrierRetentionDays);
        if (deleted > 0)
          logger.info({ deleted, retentionDays: config.barrierRetentionDays }, 'old barrier rows deleted');
      } catch (err) {
        logger.warn({ err }, 'barrier cleanup failed; will retry');
      }
    };
    const first = setTimeout(() => void cleanup(), Math.min(60_000, cleanupEvery));
    const timer = setInterval(() => void cleanup(), cleanupEvery);
    first.unref();
    timer.unref();

    return {
      ...server,
      db,
      async stop(graceMs?: number) {
        clearTimeout(first);
        clearInterval(timer);
        await server.shutdown(graceMs);
        await db.destroy();
      },
    };
  } catch (err) {
    await db.destroy();
    throw err;
  }
}
