/**
 * What the operations need from the rest of dtx, as small interfaces: the HTTP app and the CLI are built from one
 * `ApiDependencies` (wiring.ts makes the real one from config; tests can build it on ephemeral ports).
 */
import type { Client, WorkflowStartOptions } from '@temporalio/client';
import type { PlaceOrderInput } from '../../workflows/contract';
import type { TxMode } from '../../workflows/names';
import type { DeadLetterPage, DeadLetterPageRequest, RedriveResult } from '../../outbox/dead-letters';
import type { OutboxLag } from '../../outbox/lag';
import type { TimelineEntry } from '../../timeline/queries';
import type { IdempotencyRecords } from './idempotency-records';
import type { InFlightLimit } from './admission';
import type { BreakerGate } from './degradation';

export interface TemporalAccess {
  client: Client;
  namespace: string;
  /** Base URL of the Temporal Web UI, without trailing slash. */
  uiUrl: string;
}

/** Workflow type and start options of a transaction (the workflows' own helper decides ids, queue, attributes). */
export interface TransactionStart {
  workflowType: string;
  options: WorkflowStartOptions;
}
export type TransactionStarter = (mode: TxMode, input: PlaceOrderInput) => TransactionStart;

/** The order record as the API shows it (the order service's Order, money in minor units). */
export interface OrderRecord {
  orderId: string;
  customerId: string;
  status: string;
  lines: Array<{ sku: string; quantity: number; unitPrice: number; lineTotal: number }>;
  subtotal: number;
  discount: number;
  total: number;
  couponCode?: string;
  txMode: string;
  txId: string;
  cancelReason?: string;
  createdAt: string;
  updatedAt: string;
}

export interface OrderReader {
  /** The order, or null when the order service does not know it. */
  getOrder(orderId: string): Promise<OrderRecord | null>;
}

export interface TimelineReader {
  /** The order's events in order, as projected from Kafka (empty when none yet). */
  getOrderTimeline(orderId: string): Promise<TimelineEntry[]>;
}

export interface OutboxAdmin {
  lag(): Promise<OutboxLag[]>;
  /** One page of dead rows (all databases, by database then seq); without a request, the first page. */
  listDeadLetters(page?: DeadLetterPageRequest): Promise<DeadLetterPage>;
  /** Redrives one dead row; undefined when no outbox has a dead row with that id. */
  redrive(id: string): Promise<RedriveResult | undefined>;
  redriveAll(): Promise<RedriveResult[]>;
}

/** One dependency /readyz checks: resolves when it answers, rejects with why not. */
export interface ReadinessProbe {
  name: string;
  check(): Promise<void>;
}

export interface ApiDependencies {
  temporal: TemporalAccess;
  startTransaction: TransactionStarter;
  orders: OrderReader;
  timeline: TimelineReader;
  idempotency: IdempotencyRecords;
  outbox: OutboxAdmin;
  probes: ReadinessProbe[];
  /** The worker's circuit breakers, consulted before an order is admitted (degradation.ts); absent: not consulted. */
  breakers?: BreakerGate;
  /** The cap on transactions in flight that new orders are admitted under (admission.ts). */
  inFlight: InFlightLimit;
}
