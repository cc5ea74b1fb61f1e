/**
 * The outbox relay: drains every configured database's outbox to Kafka (docs/design.md, outbox).
 *
 * One loop per database: claim a batch (committed lease, see claim.ts) → send it (no transaction open) → mark sent /
 * failed / released. It wakes on NOTIFY dtx_outbox, when committed rows wait for an older transaction to end (short
 * re-checks), when a retry or an expired lease comes due, and at the poll interval as the fallback. Kafka
 * unreachable: rows are released untouched and the loop backs off. A database error: the loop backs off and retries.
 */
import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import type { Kafka } from 'kafkajs';
import { loadConfig, type Config } from '../../common/config';
import { createKafka } from '../../common/kafka';
import { ensureTopics } from '../../outbox/topics';
import { createLogger, type Logger } from '../../common/logger';
import { retryDelayMs } from './backoff';
import { claimBatch, markFailed, markSent, releaseClaims } from './claim';
import { closeOutboxDatabases, openOutboxDatabases, type OutboxDatabase } from '../../outbox/databases';
import { describeError } from './errors';
import { parseRelayFaults, type RelayFaults } from './faults';
import { getOutboxLag, type OutboxLag } from '../../outbox/lag';
import { OutboxListener } from './listener';
import { nextWakeInMs, purgeSentRows } from './maintenance';
import { OutboxSender } from './sender';
import type { OutboxRow, RelaySettings } from '../../outbox/types';

export interface RelayOptions {
  /** Databases to drain (default: config.relay.databaseUrls). */
  databaseUrls?: readonly string[];
  /** Overrides of config.relay. */
  settings?: Partial<RelaySettings>;
  /** Default: a client from common/kafka. */
  kafka?: Kafka;
  /** Default: host:pid:random. Shown in claimed_by. */
  relayId?: string;
  /** Create the event topics at start (default true). */
  createTopics?: boolean;
  config?: Config;
}

/** What one claim → send → mark round did. */
export interface DrainRound {
  claimed: number;
  sent: number;
  failed: number;
  died: number;
  /** Set when Kafka was unreachable. */
  unavailable?: string;
}

const RETENTION_EVERY_MS = 60_000;
const HORIZON_RECHECK_MIN_MS = 20;
const HORIZON_RECHECK_MAX_MS = 1000;

/** One database's drain loop and its wake-up signal. */
class DatabaseLane {
  private wakeRequested = false;
  private wakeUp: (() => void) | undefined;
  horizonRechecks = 0;
  kafkaFailures = 0;
  dbFailures = 0;
  running: Promise<void> | undefined;

  /**
   * Each database has its own producer: sends on one idempotent producer must not overlap, because after a failed
   * request kafkajs reuses sequence numbers that a concurrent request may already have taken.
   */
  constructor(
    readonly database: OutboxDatabase,
    readonly sender: OutboxSender,
  ) {}

  wake(): void {
    this.wakeRequested = true;
    this.wakeUp?.();
  }

  /** Sleeps up to `ms`, or less if woken (a wake that came while busy returns at once). */
  async sleep(ms: number): Promise<void> {
    if (this.wakeRequested) {
      this.wakeRequested = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, Math.max(0, ms));
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
    this.wakeUp = undefined;
    this.wakeRequested = false;
  }
}

export class OutboxRelay {
  readonly relayId: string;
  readonly settings: RelaySettings;
  private readonly logger: Logger;
  private readonly databases: OutboxDatabase[];
  private readonly lanes: DatabaseLane[];
  private readonly listeners: OutboxListener[] = [];
  private readonly faults: RelayFaults;
  private readonly timers: NodeJS.Timeout[] = [];
  private stopping = false;
  private sentTotal = 0;
  private sentAtLastLog = { count: 0, at: Date.now() };

  private constructor(
    private readonly options: RelayOptions,
    private readonly config: Config,
    private readonly kafka: Kafka,
  ) {
    this.relayId = options.relayId ?? `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    const { databaseUrls, ...configured } = config.relay;
    this.settings = { ...configured, ...options.settings };
    this.logger = createLogger('relay', { relayId: this.relayId });
    this.databases = openOutboxDatabases(options.databaseUrls ?? databaseUrls, {
      applicationName: 'dtx-relay',
      poolMax: this.settings.workersPerDatabase + 2,
    });
    // Several workers per database overlap one batch's claim/mark with another's send. Claims never give two
    // workers rows of the same aggregate (claim.ts), so they are as safe as separate relays.
    this.lanes = this.databases.flatMap((d) =>
      Array.from(
        { length: this.settings.workersPerDatabase },
        () =>
          new DatabaseLane(
            d,
            new OutboxSender(kafka, this.logger.child({ database: d.name }), {
              namePrefix: config.kafka.namePrefix,
            }),
          ),
      ),
    );
    this.faults = parseRelayFaults(config.faults);
  }

  /** Starts the relay: listeners, drain loops, retention and lag logging. Does not wait for Kafka or the databases. */
  static start(options: RelayOptions = {}): OutboxRelay {
    const config = options.config ?? loadConfig();
    const kafka = options.kafka ?? createKafka({ clientSuffix: 'relay', config });
    const relay = new OutboxRelay(options, config, kafka);
    relay.run();
    return relay;
  }

  /** Builds a relay without starting its loops (tests and the benchmark drive it with drainOnce). */
  static manual(options: RelayOptions = {}): OutboxRelay {
    const config = options.config ?? loadConfig();
    return new OutboxRelay(options, config, options.kafka ?? createKafka({ clientSuffix: 'relay', config }));
  }

  private run(): void {
    this.logger.info(
      { databases: this.databases.map((d) => d.name), settings: this.settings },
      'outbox relay starting',
    );
    if (this.options.createTopics !== false) void this.ensureTopicsInBackground();
    for (const database of this.databases) {
      const lanes = this.lanes.filter((l) => l.database === database);
      const listener = new OutboxListener(
        database.url,
        () => lanes.forEach((l) => l.wake()),
        this.logger.child({ database: database.name }),
      );
      listener.start();
      this.listeners.push(listener);
    }
    for (const lane of this.lanes) lane.running = this.loop(lane);
    this.timers.push(setInterval(() => void this.purge(), RETENTION_EVERY_MS));
    if (this.settings.lagLogIntervalMs > 0) {
      this.timers.push(setInterval(() => void this.logLag(), this.settings.lagLogIntervalMs));
    }
  }

  private async ensureTopicsInBackground(): Promise<void> {
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        const created = await ensureTopics(this.kafka, { config: this.config });
        if (created.length > 0) this.logger.info({ topics: created }, 'created topics');
        return;
      } catch (error) {
        this.logger.warn({ err: describeError(error), attempt }, 'could not ensure topics; retrying');
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs(attempt, 500, 30_000)));
      }
    }
  }

  private async loop(lane: DatabaseLane): Promise<void> {
    const log = this.logger.child({ database: lane.database.name });
    while (!this.stopping) {
      let waitMs = 0;
      try {
        const round = await this.drainLane(lane);
        lane.dbFailures = 0;
        if (round.unavailable !== undefined) {
          lane.kafkaFailures += 1;
          waitMs = retryDelayMs(lane.kafkaFailures, 250, 10_000);
          log.warn(
            { err: round.unavailable, retryInMs: waitMs, released: round.claimed },
            'kafka unavailable; rows stay pending',
          );
        } else {
          if (lane.kafkaFailures > 0)
            log.info({ afterFailures: lane.kafkaFailures }, 'kafka reachable again');
          lane.kafkaFailures = 0;
          if (round.claimed > 0) {
            lane.horizonRechecks = 0;
            continue;
          }
          waitMs = await this.idleWait(lane);
        }
      } catch (error) {
        lane.dbFailures += 1;
        waitMs = retryDelayMs(lane.dbFailures, 250, 10_000);
        log.warn({ err: describeError(error), retryInMs: waitMs }, 'outbox round failed; retrying');
      }
      if (!this.stopping) await lane.sleep(waitMs);
    }
  }

  /** How long an idle loop may sleep: until a NOTIFY, a due retry/lease, or the poll interval. */
  private async idleWait(lane: DatabaseLane): Promise<number> {
    const next = await nextWakeInMs(lane.database.db);
    if (next.behindHorizon) {
      // Committed rows wait for an older transaction that may commit without NOTIFY: re-check soon.
      lane.horizonRechecks += 1;
      return Math.min(
        this.settings.pollIntervalMs,
        HORIZON_RECHECK_MIN_MS * 2 ** Math.min(lane.horizonRechecks - 1, 10),
        HORIZON_RECHECK_MAX_MS,
      );
    }
    lane.horizonRechecks = 0;
    return Math.min(this.settings.pollIntervalMs, next.dueInMs ?? Number.POSITIVE_INFINITY);
  }

  /** One claim → send → mark round on one database. */
  private async drainLane(lane: DatabaseLane): Promise<DrainRound> {
    const { database, sender } = lane;
    const rows = await claimBatch(
      database.db,
      this.relayId,
      this.settings.batchSize,
      this.settings.claimLeaseMs,
    );
    const round: DrainRound = { claimed: rows.length, sent: 0, failed: 0, died: 0 };
    if (rows.length === 0) return round;
    const report = await sender.send(rows);
    if (report.sent.length > 0) {
      this.faults.afterSend();
      await this.markSentWithRetry(database, report.sent);
      round.sent = report.sent.length;
      this.sentTotal += report.sent.length;
    }
    for (const rejection of report.rejected) {
      const attempt = rejection.head.attempts + 1;
      const retryInMs = retryDelayMs(attempt, this.settings.backoffBaseMs, this.settings.backoffMaxMs);
      const dead = await markFailed(
        database.db,
        this.relayId,
        { id: rejection.head.id, error: rejection.error, retryInMs },
        rejection.rest.map((r) => r.id),
        this.settings.maxAttempts,
      );
      round.failed += 1;
      const fields = {
        database: database.name,
        eventId: rejection.head.id,
        aggregateType: rejection.head.aggregateType,
        aggregateId: rejection.head.aggregateId,
        attempt,
        err: rejection.error,
      };
      if (dead) {
        round.died += 1;
        this.logger.error(
          { ...fields, waitingBehind: rejection.rest.length },
          'outbox row is dead; its aggregate is blocked until redriven',
        );
      } else {
        this.logger.warn({ ...fields, retryInMs }, 'kafka rejected an outbox row; will retry');
      }
    }
    if (report.unsent.length > 0)
      await releaseClaims(
        database.db,
        this.relayId,
        report.unsent.map((r) => r.id),
      );
    round.unavailable = report.unavailable;
    return round;
  }

  /** Mark-sent survives a short database blip; if it still fails the lease expires and the rows go out again. */
  private async markSentWithRetry(database: OutboxDatabase, rows: OutboxRow[]): Promise<void> {
    const ids = rows.map((r) => r.id);
    for (let attempt = 1; ; attempt++) {
      try {
        await markSent(database.db, ids);
        return;
      } catch (error) {
        if (attempt >= 4) throw error;
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs(attempt, 200, 2000)));
      }
    }
  }

  /** Drains every database until nothing is claimable (tests, benchmark); returns rows sent. */
  async drainOnce(): Promise<number> {
    let sent = 0;
    for (const lane of this.lanes) {
      for (;;) {
        const round = await this.drainLane(lane);
        sent += round.sent;
        if (round.unavailable !== undefined) throw new Error(`kafka unavailable: ${round.unavailable}`);
        if (round.claimed === 0) break;
      }
    }
    return sent;
  }

  private async purge(): Promise<void> {
    for (const database of this.databases) {
      try {
        const deleted = await purgeSentRows(database.db, this.settings.retentionHours);
        if (deleted > 0)
          this.logger.info({ database: database.name, deleted }, 'deleted sent outbox rows past retention');
      } catch (error) {
        this.logger.warn(
          { database: database.name, err: describeError(error) },
          'outbox retention cleanup failed',
        );
      }
    }
  }

  /** The lag of this relay's databases. */
  async lag(): Promise<OutboxLag[]> {
    return getOutboxLag(this.databases);
  }

  private async logLag(): Promise<void> {
    const lag = await this.lag();
    const now = Date.now();
    const relaySentPerSecond =
      ((this.sentTotal - this.sentAtLastLog.count) * 1000) / Math.max(1, now - this.sentAtLastLog.at);
    this.sentAtLastLog = { count: this.sentTotal, at: now };
    const troubled = lag.some((l) => l.deadCount > 0 || l.error !== undefined);
    const fields = {
      lag,
      relaySentPerSecond: Math.round(relaySentPerSecond * 10) / 10,
      sentTotal: this.sentTotal,
    };
    if (troubled) this.logger.warn(fields, 'outbox lag (dead or unreadable outboxes)');
    else this.logger.info(fields, 'outbox lag');
  }

  /** Whether every database's LISTEN connection is up. */
  get listening(): boolean {
    return this.listeners.length === this.databases.length && this.listeners.every((l) => l.listening);
  }

  /** Rows this relay has delivered since it started. */
  get delivered(): number {
    return this.sentTotal;
  }

  /** Stops the loops (the current round finishes), the listeners, the producer and the pools. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.timers.forEach((t) => clearInterval(t));
    for (const lane of this.lanes) lane.wake();
    await Promise.all(this.lanes.map((l) => l.running ?? Promise.resolve()));
    await Promise.all(this.listeners.map((l) => l.stop()));
    await Promise.all(this.lanes.map((l) => l.sender.close()));
    await closeOutboxDatabases(this.databases);
    this.logger.info({ sentTotal: this.sentTotal }, 'outbox relay stopped');
  }
}
