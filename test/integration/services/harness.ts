/** Starts domain services in-process on ephemeral ports with clients pointed at them; helpers for DB truth. */
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { SERVICE_NAMES, type ServiceName } from '../../../common/config';
import type { Knex } from '../../../common/db';
import { createServiceClients, type ServiceClients } from '../../../services/rpc/clients';
import { describeGrpcError, type GrpcErrorDescription } from '../../../services/rpc/errors';
import { startService, type RunningService, type StartServiceOptions } from '../../../services/runtime';

export interface Harness {
  clients: ServiceClients;
  services: Partial<Record<ServiceName, RunningService>>;
  /** The service's own knex (for database truth). */
  db(service: ServiceName): Knex;
  stop(): Promise<void>;
}

export const silentLogger = pino({ level: 'silent' });

/** Starts `names` on 127.0.0.1:0 (migrated), and clients for them. */
export async function startHarness(
  names: ServiceName[],
  options: StartServiceOptions = {},
): Promise<Harness> {
  const services: Partial<Record<ServiceName, RunningService>> = {};
  for (const name of names) {
    services[name] = await startService(name, {
      address: '127.0.0.1:0',
      faults: '',
      logger: silentLogger,
      ...options,
    });
  }
  // services not started point at a closed port: calling them fails fast with UNAVAILABLE
  const addresses = Object.fromEntries(
    SERVICE_NAMES.map((s) => [s, services[s]?.address ?? '127.0.0.1:1']),
  ) as Record<ServiceName, string>;
  const clients = createServiceClients(addresses);
  return {
    clients,
    services,
    db(service) {
      const running = services[service];
      if (!running) throw new Error(`${service} not started`);
      return running.db;
    },
    async stop() {
      clients.close();
      await Promise.all(Object.values(services).map((s) => s.stop(2000)));
    },
  };
}

/** A unique id for this test run. */
export function uid(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/** Awaits a call that must fail; returns the described error (fails the test if it succeeded). */
export async function failure(promise: Promise<unknown>): Promise<GrpcErrorDescription> {
  try {
    await promise;
  } catch (err) {
    return describeGrpcError(err);
  }
  throw new Error('expected the call to fail, it succeeded');
}

export interface OutboxRow {
  aggregate_type: string;
  aggregate_id: string;
  event_type: string;
  payload: Record<string, unknown>;
  headers: Record<string, string>;
}

/** Outbox rows whose tx-id header is `txId`, in commit order. */
export function outboxOfTx(db: Knex, txId: string): Promise<OutboxRow[]> {
  return db<OutboxRow>('outbox')
    .whereRaw(`headers->>'tx-id' = ?`, [txId])
    .orderBy('seq')
    .select('aggregate_type', 'aggregate_id', 'event_type', 'payload', 'headers');
}

/** Outbox rows of one aggregate, in order. */
export function outboxOfAggregate(db: Knex, aggregateId: string): Promise<OutboxRow[]> {
  return db<OutboxRow>('outbox')
    .where({ aggregate_id: aggregateId })
    .orderBy('seq')
    .select('aggregate_type', 'aggregate_id', 'event_type', 'payload', 'headers');
}

/** Barrier rows of a transaction as "branch:op:reason" strings, sorted. */
export async function barrierOf(db: Knex, txId: string): Promise<string[]> {
  const rows = await db('tx_barrier')
    .where({ tx_id: txId })
    .select<{ branch_id: string; op: string; reason: string }[]>('branch_id', 'op', 'reason');
  return rows.map((r) => `${r.branch_id}:${r.op}:${r.reason}`).sort();
}

export const branch = (txId: string, branchId: string): { txId: string; branchId: string } => ({
  txId,
  branchId,
});
