/** Reading an order's timeline (for the API). */
import type { Knex } from 'knex';
import { createDb } from '../common/db';

export interface TimelineEntry {
  /** 1-based position in the order's timeline. */
  position: number;
  eventId: string;
  eventType: string;
  aggregateType: string;
  aggregateId: string;
  txId: string | null;
  occurredAt: Date;
  recordedAt: Date;
  payload: unknown;
}

interface TimelineRecord {
  event_id: string;
  event_type: string;
  aggregate_type: string;
  aggregate_id: string;
  tx_id: string | null;
  occurred_at: Date;
  recorded_at: Date;
  payload: unknown;
}

/**
 * Every event of an order, in order: by when the outbox row was written (each step's transaction starts after the
 * previous one committed), ties by arrival (per aggregate, arrival is Kafka order = commit order).
 * `db`: the timeline database (default: a short-lived pool on config.databases.timeline).
 */
export async function getOrderTimeline(orderId: string, db?: Knex): Promise<TimelineEntry[]> {
  const own = db ?? createDb('timeline', { poolMax: 1, applicationName: 'dtx-timeline-read' });
  try {
    const rows = await own('order_timeline')
      .select<TimelineRecord[]>(
        'event_id',
        'event_type',
        'aggregate_type',
        'aggregate_id',
        'tx_id',
        'occurred_at',
        'recorded_at',
        'payload',
      )
      .where('order_id', orderId)
      .orderBy([{ column: 'occurred_at' }, { column: 'id' }]);
    return rows.map((r, index) => ({
      position: index + 1,
      eventId: r.event_id,
      eventType: r.event_type,
      aggregateType: r.aggregate_type,
      aggregateId: r.aggregate_id,
      txId: r.tx_id,
      occurredAt: r.occurred_at,
      recordedAt: r.recorded_at,
      payload: r.payload,
    }));
  } finally {
    if (!db) await own.destroy();
  }
}
