/**
 * The relay's Prometheus metrics (prom-client default registry, exposed by its ops server, DTX_RELAY_OPS_PORT):
 *   dtx_relay_sent_total{database}                    rows Kafka acknowledged
 *   dtx_relay_failed_total{database,reason}           rows not delivered by a send: `rejected` (Kafka refused the row:
 *                                                     an attempt counted) or `unavailable` (Kafka unreachable: released)
 *   dtx_relay_commit_to_ack_seconds{database}         from the row's created_at (its transaction's start) to the ack
 *   dtx_relay_pending_rows / _dead_rows / _blocked_rows{database}, dtx_relay_oldest_pending_age_seconds{database}
 *                                                     read from the outboxes at scrape time (outbox/lag.ts)
 */
import { Counter, Gauge, Histogram } from 'prom-client';
import type { OutboxLag } from '../../outbox/lag';
import type { OutboxRow } from '../../outbox/types';

export const relaySent = new Counter({
  name: 'dtx_relay_sent_total',
  help: 'Outbox rows delivered to Kafka (acknowledged), by database',
  labelNames: ['database'] as const,
});

export const relayFailed = new Counter({
  name: 'dtx_relay_failed_total',
  help: 'Outbox rows a send did not deliver, by database and reason: rejected (by Kafka) or unavailable (Kafka unreachable)',
  labelNames: ['database', 'reason'] as const,
});

export const relayCommitToAck = new Histogram({
  name: 'dtx_relay_commit_to_ack_seconds',
  help: "Time from an outbox row's writing transaction to Kafka's acknowledgement of it, by database",
  labelNames: ['database'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
});

/** Where the lag gauges read from: each running relay's `lag()`. */
const lagSources = new Set<() => Promise<OutboxLag[]>>();
/** One read per scrape for the four gauges (prom-client collects them in parallel). */
let snapshot: { at: number; lag: Promise<OutboxLag[]> } | undefined;
const SNAPSHOT_MS = 500;

function currentLag(): Promise<OutboxLag[]> {
  const now = Date.now();
  if (!snapshot || now - snapshot.at > SNAPSHOT_MS) {
    const lag = Promise.all([...lagSources].map((read) => read())).then((all) => all.flat());
    snapshot = { at: now, lag };
  }
  return snapshot.lag;
}

/** A gauge per database whose value is read from the lag at scrape time (a database that cannot be read is left out). */
function lagGauge(name: string, help: string, value: (lag: OutboxLag) => number): Gauge<'database'> {
  return new Gauge({
    name,
    help,
    labelNames: ['database'] as const,
    async collect() {
      const lag = await currentLag();
      this.reset();
      for (const entry of lag)
        if (entry.error === undefined) this.set({ database: entry.database }, value(entry));
    },
  });
}

export const relayPending = lagGauge(
  'dtx_relay_pending_rows',
  'Outbox rows not yet delivered, by database',
  (l) => l.pendingCount,
);
export const relayDead = lagGauge(
  'dtx_relay_dead_rows',
  'Outbox rows given up on (dead letters), by database',
  (l) => l.deadCount,
);
export const relayBlocked = lagGauge(
  'dtx_relay_blocked_rows',
  'Pending outbox rows waiting behind a dead row of their aggregate, by database',
  (l) => l.blockedCount,
);
export const relayOldestPendingAge = lagGauge(
  'dtx_relay_oldest_pending_age_seconds',
  'Age of the oldest undelivered outbox row, by database (0 when none)',
  (l) => l.oldestPendingAgeMs / 1000,
);

/** Adds a relay's lag to the gauges; returns its removal. */
export function addLagSource(read: () => Promise<OutboxLag[]>): () => void {
  lagSources.add(read);
  snapshot = undefined;
  return () => {
    lagSources.delete(read);
    snapshot = undefined;
  };
}

/** Records rows Kafka acknowledged now. */
export function recordSent(database: string, rows: readonly OutboxRow[], ackedAt = Date.now()): void {
  relaySent.inc({ database }, rows.length);
  for (const row of rows)
    relayCommitToAck.observe({ database }, Math.max(0, ackedAt - row.createdAt.getTime()) / 1000);
}

export function recordFailed(database: string, reason: 'rejected' | 'unavailable', rows: number): void {
  if (rows > 0) relayFailed.inc({ database, reason }, rows);
}
