/** Shapes shared by the relay's parts: a claimed outbox row and the relay's settings. */
import type { RelayConfig } from '../common/config';

/** An outbox row as the relay claims it (columns of migrations/lib/tables.ts). */
export interface OutboxRow {
  id: string;
  /** bigserial, as a string (int8). */
  seq: string;
  /** xid8, as a string. */
  txid: string;
  aggregateType: string;
  aggregateId: string;
  /** int8 as a string; '0' for rows written without one (docs/design.md, outbox ordering). */
  aggregateVersion: string;
  eventType: string;
  /** The jsonb payload as JSON text (sent as is: no parse/stringify round trip). */
  payloadJson: string;
  headers: Record<string, unknown>;
  createdAt: Date;
  attempts: number;
}

export type RelaySettings = Omit<RelayConfig, 'databaseUrls'>;
