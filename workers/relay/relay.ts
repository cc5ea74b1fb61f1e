/**
 * The outbox relay: drains every configured database's outbox to Kafka (docs/design.md, outbox).
 *
 * DTX_RELAY_WORKERS loops (lanes) per database: claim a batch (committed lease on each run's head, see claim.ts) →
 * send it (no transaction open, the lease renewed meanwhile) → mark failed / sent / released. A database's lanes
 * take turns claiming along one shared walk and overlap their sends and marks. A lane wakes on NOTIFY dtx_outbox,
 * when committed rows wait for an older transaction to end (short re-checks; the transaction is logged), when a
 * retry comes due, and at the poll interval as the fallback (which also finds expired leases). Kafka unreachable:
 * rows are released untouched and the loop backs off. A database error: the loop backs off and retries.
 */
import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import type { Admin, Kafka } from 'kafkajs';
import { loadConfig, type Config } from '../../common/config';
import { createKafka } from '../../common/kafka';
import { ensureTopics } from '../../outbox/topics';
import { createLogger, type Logger } from '../../common/logger';
import type { ReadinessCheck } from '../../common/ops-server';
import { retryDelayMs } from './backoff';
import { ClaimSweep, claimBatch, markFailed, markSent, releaseClaims, renewClaims } from './claim';
import { closeOutboxDatabases, openOutboxDatabases, type OutboxDatabase } from '../../outbox/databases';
import { describeError } from './errors';
import { parseRelayFaults, type RelayFaults } from './faults';
import { describeHorizonHolder, getOutboxLag, horizonHolder, type OutboxLag } from '../../outbox/lag';
import { OutboxListener } from './listener';
import { nextWakeInMs, purgeSentRows } from './maintenance';
import { addLagSource, recordFailed, recordSent } from './metrics';
import { OutboxSender, type SendReport } from './sender';
import type { OutboxRow, RelaySettings } from '../../outbox/types';

export interface RelayOptions {
  /** Databases to drain (default: config.relay.databaseUrls). */
  databaseUrls?: readonly string[];
  /** Overrides of config.relay. */
  settings?: Partial<RelaySettings>;
  /** Default: a client from common/kafka. */
  kafka?: Kafka;
  /** Default: host:pid:random. claimed_by is `<relayId>/<lane>`: each lane has its own. */
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
  /** Whether the lane should claim again at once (false: a whole sweep found nothing; it may idle). */
  more: boolean;
}

const RETENTION_EVERY_MS = 60_000;
const HORIZON_RECHECK_MIN_MS = 20;
const HORIZON_RECHECK_MAX_MS = 1000;
/** How often a lane may log the transaction holding the horizon, and from what age on. */
const HORIZON_LOG_EVERY_MS = 30_000;
const HORIZON_LOG_MIN_AGE_MS = 5_000;

const aggregateKeyOf = (row: OutboxRow): string => `${row.aggregateType}\u0000${row.aggregateId}`;

/**
 * A NOTIFY wakes one idle lane: one claim takes the new rows, where waking every lane made the others claim nothing
 * and re-check the outbox (two statements each per commit); a lane lingering before its claim takes them anyway.
 * With no lane idle, every lane claims once more after its round, so rows committed after a busy lane's claim are
 * never left for the poll interval.
 */
export function wakeOne(lanes: readonly Pick<DatabaseLane, 'idle' | 'lingering' | 'wake'>[]): void {
  if (lanes.some((l) => l.lingering)) return;
  const idle = lanes.find((l) => l.idle);
  if (idle) idle.wake();
  else lanes.forEach((l) => l.wake());
}

/** One database's drain loop and its wake-up signal. */
class DatabaseLane {
  private wakeRequested = false;
  /** Woken, waiting for more commits before it claims: what commits meanwhile is in its claim. */
  lingering = false;
  private wakeUp: (() => void) | undefined;
  horizonRechecks = 0;
  kafkaFailures = 0;
  dbFailures = 0;
  running: Promise<void> | undefined;
  /** The lane's mark-sent in flight (never rejects): overlapped with its next claim and send. */
  marking: Promise<void> = Promise.resolve();
  /** When the lane last logged the transaction that holds the horizon. */
  horizonLoggedAt = 0;

  /**
   * Each database has its own producer: sends on one idempotent producer must not overlap, because after a failed
   * request kafkajs reuses sequence numbers that a concurrent request may already have taken.
   */
  constructor(
    readonly database: OutboxDatabase,
    readonly sender: OutboxSender,
    /** claimed_by of this lane's claims: one id per lane, so a lane never releases or renews a sibling's rows. */
    readonly claimer: string,
    /**
     * The walk over the database's aggregates, shared by its lanes: each claim continues where the last one (of any
     * lane) stopped, so a lane does not walk again over what its sibling just drained (index entries of sent rows
     * cost a visit each until vacuum removes them).
     */
    readonly sweep: ClaimSweep,
    /** After a NOTIFY woke the idle lane, how long it waits for more commits before claiming (DTX_RELAY_LINGER_MS). */
    private readonly lingerMs: number,
  ) {}

  wake(): void {
    this.wakeRequested = true;
    this.wakeUp?.();
  }

  /** Whether the lane sleeps (idle, waiting for a NOTIFY or its timer). */
  get idle(): boolean {
    return this.wakeUp !== undefined;
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
    // a NOTIFY woke the idle lane: let the commits of concurrent transactions join it, so one claim, one produce
    // request and one mark carry them together (a lane that is busy never lingers: its next claim takes what came)
    if (this.wakeRequested && this.lingerMs > 0) {
      this.lingering = true;
      await new Promise((resolve) => setTimeout(resolve, this.lingerMs));
      this.lingering = false;
    }
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
  /** Removes this relay's lag from the metrics (set while it runs). */
  private removeLagSource: (() => void) | undefined;
  /** The readiness probe's Kafka admin client, connected on first use, dropped after a failure. */
  private probeAdmin: Promise<Admin> | undefined;

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
    this.lanes = this.databases.flatMap((d) => {
      const sweep = new ClaimSweep();
      return Array.from(
        { length: this.settings.workersPerDatabase },
        (_, index) =>
          new DatabaseLane(
            d,
            new OutboxSender(kafka, this.logger.child({ database: d.name }), {
              namePrefix: config.kafka.namePrefix,
            }),
            `${this.relayId}/${index}`,
            sweep,
            this.settings.lingerMs,
          ),
      );
    });
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
    this.removeLagSource = addLagSource(() => this.lag());
    for (const database of this.databases) {
      const lanes = this.lanes.filter((l) => l.database === database);
      const listener = new OutboxListener(
        database.url,
        () => wakeOne(lanes),
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
          if (round.claimed > 0) lane.horizonRechecks = 0;
          if (round.more) continue;
          await lane.marking;
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
      await this.logHorizonHolder(lane);
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

  /**
   * Committed rows wait for an older transaction (the horizon is cluster-wide: any database's idle open transaction
   * holds every outbox): say which one, at most every HORIZON_LOG_EVERY_MS per lane.
   */
  private async logHorizonHolder(lane: DatabaseLane): Promise<void> {
    const now = Date.now();
    if (now - lane.horizonLoggedAt < HORIZON_LOG_EVERY_MS) return;
    lane.horizonLoggedAt = now;
    try {
      const holder = await horizonHolder(lane.database.db);
      if (holder && holder.ageMs >= HORIZON_LOG_MIN_AGE_MS)
        this.logger.warn(
          { database: lane.database.name, holder },
          `relay waiting on ${describeHorizonHolder(holder)}`,
        );
    } catch (error) {
      this.logger.debug({ err: describeError(error) }, 'could not read the horizon holder');
    }
  }

  /** One claim → send → mark round on one database. */
  private async drainLane(lane: DatabaseLane): Promise<DrainRound> {
    const { database } = lane;
    // one claim at a time per database, each starting where the previous one stopped (the lanes overlap their
    // sends and marks, not their walks)
    const { claim, more } = await lane.sweep.next((after) =>
      claimBatch(database.db, lane.claimer, {
        batch: this.settings.batchSize,
        leaseMs: this.settings.claimLeaseMs,
        after,
      }),
    );
    const rows = claim.rows;
    const round: DrainRound = { claimed: rows.length, sent: 0, failed: 0, died: 0, more };
    if (rows.length === 0) return round;
    const report = await this.sendRenewing(lane, rows);
    // failures first: markFailed needs the run's claim, which marking the rows before the culprit sent clears
    const claimHeads = new Map<string, string>();
    for (const row of rows) {
      const key = aggregateKeyOf(row);
      if (!claimHeads.has(key)) claimHeads.set(key, row.id);
    }
    for (const rejection of report.rejected) {
      const attempt = rejection.head.attempts + 1;
      const retryInMs = retryDelayMs(attempt, this.settings.backoffBaseMs, this.settings.backoffMaxMs);
      const dead = await markFailed(
        database.db,
        lane.claimer,
        {
          id: rejection.head.id,
          claimHeadId: claimHeads.get(aggregateKeyOf(rejection.head)) ?? rejection.head.id,
          error: rejection.error,
          retryInMs,
        },
        this.settings.maxAttempts,
      );
      round.failed += 1;
      recordFailed(database.name, 'rejected', 1);
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
    if (report.sent.length > 0) {
      recordSent(database.name, report.sent);
      this.faults.afterSend();
      round.sent = report.sent.length;
      this.sentTotal += report.sent.length;
      // One mark in flight per lane, overlapped with the next claim and send. Safe for order: until it commits, the
      // runs' heads still carry this lane's live claim, so no claim (not even this lane's) takes those aggregates.
      await lane.marking;
      const sent = report.sent;
      lane.marking = this.markSentWithRetry(database, sent).catch((error: unknown) =>
        this.logger.warn(
          { database: database.name, rows: sent.length, err: describeError(error) },
          'could not mark delivered rows sent; they go out again once their claim expires',
        ),
      );
    }
    // a run's claim sits on its head: releasing the unsent rows releases the claims of runs that did not start
    if (report.unsent.length > 0)
      await releaseClaims(
        database.db,
        lane.claimer,
        report.unsent.map((r) => r.id),
      );
    round.unavailable = report.unavailable;
    if (report.unavailable !== undefined) recordFailed(database.name, 'unavailable', report.unsent.length);
    return round;
  }

  /**
   * Sends while renewing the claim every third of the lease: a send may take longer than the lease (kafkajs retries
   * and the bisection of a rejected batch), and an expired lease would let another lane send the same rows again.
   */
  private async sendRenewing(lane: DatabaseLane, rows: OutboxRow[]): Promise<SendReport> {
    // the claim sits on each run's head (claim.ts): the first row of each aggregate
    const seen = new Set<string>();
    const ids = rows
      .filter((r) => !seen.has(aggregateKeyOf(r)) && seen.add(aggregateKeyOf(r)))
      .map((r) => r.id);
    const leaseMs = this.settings.claimLeaseMs;
    const log = this.logger.child({ database: lane.database.name });
    let renewing: Promise<void> = Promise.resolve();
    const timer = setInterval(
      () => {
        renewing = renewClaims(lane.database.db, lane.claimer, ids, leaseMs).then(
          (held) => {
            if (held < ids.length)
              log.warn(
                { held, claimed: ids.length },
                'claim lease lost during a send; duplicates may follow',
              );
          },
          (error: unknown) => log.warn({ err: describeError(error) }, 'could not renew the claim lease'),
        );
      },
      Math.max(50, Math.floor(leaseMs / 3)),
    );
    try {
      return await lane.sender.send(rows);
    } finally {
      clearInterval(timer);
      await renewing;
    }
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
        if (!round.more) break;
      }
      await lane.marking;
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

  /**
   * The ops server's readiness: Kafka answers a metadata request (what a send needs first) and every outbox database
   * answers a query.
   */
  readinessChecks(): Record<string, ReadinessCheck> {
    const checks: Record<string, ReadinessCheck> = { kafka: () => this.kafkaAnswers() };
    for (const database of this.databases)
      checks[`database ${database.name}`] = () => database.db.raw('select 1').then(() => true);
    return checks;
  }

  private async kafkaAnswers(): Promise<boolean> {
    // no retries: a probe must answer within its deadline; the next probe tries again
    this.probeAdmin ??= (async () => {
      const admin = this.kafka.admin({ retry: { retries: 0 } });
      try {
        await admin.connect();
      } catch (error) {
        await admin.disconnect().catch(() => undefined);
        throw error;
      }
      return admin;
    })();
    const connecting = this.probeAdmin;
    try {
      const admin = await connecting;
      await admin.describeCluster();
      return true;
    } catch (error) {
      if (this.probeAdmin === connecting) this.probeAdmin = undefined;
      await connecting.then((admin) => admin.disconnect()).catch(() => undefined);
      throw error;
    }
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
    this.removeLagSource?.();
    const probeAdmin = this.probeAdmin;
    this.probeAdmin = undefined;
    await probeAdmin?.then((admin) => admin.disconnect()).catch(() => undefined);
    for (const lane of this.lanes) lane.wake();
    await Promise.all(this.lanes.map((l) => l.running ?? Promise.resolve()));
    await Promise.all(this.lanes.map((l) => l.marking));
    await Promise.all(this.listeners.map((l) => l.stop()));
    await Promise.all(this.lanes.map((l) => l.sender.close()));
    await closeOutboxDatabases(this.databases);
    this.logger.info({ sentTotal: this.sentTotal }, 'outbox relay stopped');
  }
}
