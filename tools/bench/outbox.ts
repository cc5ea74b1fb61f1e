/**
 * `npm run bench:outbox [-- --rows N --aggregates A --batch B --rate R --seconds S]`: the relay against its physical
 * limit, in one run, on a throwaway database and its own topic (`<DTX_KAFKA_PREFIX>dtx.bench.events`, so no
 * projector sees it):
 *
 *  (a) drain: N rows across A aggregates committed at once → time until the relay (its own process, as in production)
 *      has delivered them (msg/s), and
 *      until a consumer has read them; then commit→consume latency p50/p99 under a steady insert load (R events/s).
 *  (b) raw: a bare idempotent kafkajs producer sending the same N messages with the same batching (B per sendBatch).
 *  Prints both and the ratio relay/raw (the raw producer is the physical limit: one producer, sequential batches).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { spawn } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';
import { Partitioners, type Kafka } from 'kafkajs';
import { loadConfig } from '../../common/config';
import { createKafka } from '../../common/kafka';
import { appendEvent } from '../../outbox/writer';
import { ensureTopics, topicFor } from '../../outbox/topics';
import { ClaimSweep, claimBatch, markSent } from '../../workers/relay/claim';
import { toTopicMessages } from '../../outbox/messages';
import type { OutboxRow } from '../../outbox/types';
import { createScratchDatabase, type ScratchDatabase } from './scratch-db';
import { startCounter } from './counter';

const AGGREGATE_TYPE = 'bench';
// the relay child inherits DTX_KAFKA_PREFIX, so it sends to this same topic
const KAFKA_PREFIX = loadConfig().kafka.namePrefix;
const TOPIC = topicFor(AGGREGATE_TYPE, KAFKA_PREFIX);

interface Options {
  rows: number;
  aggregates: number;
  batch: number;
  rate: number;
  seconds: number;
  payloadBytes: number;
  workers: number;
}

function positiveInt(name: string) {
  return (raw: string): number => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value <= 0)
      throw new Error(`--${name} must be a positive integer, got "${raw}"`);
    return value;
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Whether the scratch outbox still has rows not marked sent (the relay marks a row sent once Kafka acknowledged it). */
async function anyUndelivered(scratch: ScratchDatabase): Promise<boolean> {
  const result = await scratch.db.raw<{ rows: { any: boolean }[] }>(
    `select exists (select 1 from outbox where status <> 'sent') as any`,
  );
  return result.rows[0].any;
}

/** The database's clock (sent_at is written by it). */
async function databaseNow(scratch: ScratchDatabase): Promise<string> {
  const result = await scratch.db.raw<{ rows: { now: string }[] }>(`select clock_timestamp()::text as now`);
  return result.rows[0].now;
}

/** ms from `since` (database clock) until the relay marked the backlog's last row sent. */
async function lastMarkedAfterMs(scratch: ScratchDatabase, prefix: string, since: string): Promise<number> {
  const result = await scratch.db.raw<{ rows: { ms: string }[] }>(
    `select extract(epoch from max(sent_at) - ?::timestamptz) * 1000 as ms
     from outbox where aggregate_id like ? and event_type = 'BenchEvent'`,
    [since, `${prefix}-%`],
  );
  return Math.max(1, Math.round(Number(result.rows[0].ms)));
}

/** `workers/relay/main.ts` as a child process draining only the scratch database, with the benchmark's settings. */
function startRelayProcess(databaseUrl: string, options: Options): { stop(): Promise<void> } {
  const root = path.resolve(__dirname, '..', '..');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'workers', 'relay', 'main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      DTX_RELAY_DB_URLS: databaseUrl,
      DTX_RELAY_BATCH: String(options.batch),
      DTX_RELAY_WORKERS: String(options.workers),
      DTX_RELAY_POLL_MS: '1000',
      DTX_RELAY_LAG_LOG_MS: '0',
      // no ops server: a running `npm start`'s relay holds the default port
      DTX_RELAY_OPS_PORT: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** N rows committed in ONE transaction (with the relay's NOTIFY), as a backlog that appears at once. */
async function loadBacklog(scratch: ScratchDatabase, prefix: string, options: Options): Promise<void> {
  await scratch.db.transaction(async (trx) => {
    const chunk = 20_000;
    for (let from = 0; from < options.rows; from += chunk) {
      const to = Math.min(options.rows, from + chunk) - 1;
      await trx.raw(
        `insert into outbox (aggregate_type, aggregate_id, event_type, payload, headers)
         select :type, :prefix || '-' || (g % :aggregates), 'BenchEvent',
                jsonb_build_object('n', g, 'amount', g * 7 % 10000, 'filler', repeat('x', :filler::int)),
                jsonb_build_object('tx-id', 'bench-' || g, 'traceparent', '00-' || md5(g::text) || '0000000000000000' || '-01')
         from generate_series(:from::int, :to::int) g`,
        {
          type: AGGREGATE_TYPE,
          prefix,
          aggregates: options.aggregates,
          filler: options.payloadBytes,
          from,
          to,
        },
      );
    }
    await trx.raw(`select pg_notify('dtx_outbox', ?)`, [AGGREGATE_TYPE]);
  });
}

async function benchRelayDrain(kafka: Kafka, scratch: ScratchDatabase, prefix: string, options: Options) {
  const counter = await startCounter(kafka, TOPIC, prefix);
  // The relay runs as its own process, as it does in production (`npm run relay`): sharing this process's event loop
  // with the counting consumer would slow it down and understate its rate.
  const relay = startRelayProcess(scratch.url, options);
  try {
    // Warm up: the relay is connected and delivering before the backlog commits.
    await scratch.db.transaction((trx) =>
      appendEvent(trx, {
        aggregateType: AGGREGATE_TYPE,
        aggregateId: `${prefix}-warm`,
        eventType: 'Warm',
        payload: {},
      }),
    );
    while (counter.count < 1) await sleep(20);

    const committedAt = Date.now();
    await loadBacklog(scratch, prefix, options);
    const loadMs = Date.now() - committedAt;
    const start = Date.now();
    const startedAt = await databaseNow(scratch);
    // Wait on the consumer (in memory), then read when the relay marked the last row: polling the database during
    // the drain would take CPU from the relay it measures (a count(*) every 20 ms halved its rate at 100k rows).
    while (counter.count < options.rows + 1) await sleep(10);
    const consumedMs = Date.now() - start;
    while (await anyUndelivered(scratch)) await sleep(50);
    const drainMs = await lastMarkedAfterMs(scratch, prefix, startedAt);

    // (a2) steady insert load: one event per transaction at `rate`/s, commit→consume latency. The commit time is taken
    // when the transaction's work is done, just before knex sends COMMIT (so it includes the commit round trip).
    const committed = new Map<string, number>();
    const received = new Map<string, number>();
    counter.onMessage = (eventId, receivedAt) => void received.set(eventId, receivedAt);
    const total = options.rate * options.seconds;
    const loadStart = Date.now();
    const writes: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = loadStart + (i * 1000) / options.rate;
      const wait = due - Date.now();
      if (wait > 0) await sleep(wait);
      writes.push(
        scratch.db.transaction(async (trx) => {
          const id = await appendEvent(trx, {
            aggregateType: AGGREGATE_TYPE,
            aggregateId: `${prefix}-live-${i % options.aggregates}`,
            eventType: 'Live',
            payload: { i },
          });
          committed.set(id, Date.now());
        }),
      );
    }
    await Promise.all(writes);
    const deadline = Date.now() + 60_000;
    while ([...committed.keys()].some((id) => !received.has(id)) && Date.now() < deadline) await sleep(20);
    const latencies = [...committed].flatMap(([id, at]) =>
      received.has(id) ? [Math.max(0, (received.get(id) ?? at) - at)] : [],
    );
    latencies.sort((a, b) => a - b);
    return {
      loadMs,
      drainMs,
      consumedMs,
      drainRate: options.rows / (drainMs / 1000),
      consumeRate: options.rows / (consumedMs / 1000),
      steadyEvents: total,
      latencyMeasured: latencies.length,
      steadyMissing: total - latencies.length,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies[latencies.length - 1] ?? NaN,
    };
  } finally {
    await relay.stop();
    await counter.stop();
  }
}

/** The same messages (read back from the outbox in relay order) through a bare producer, `batch` per sendBatch. */
async function benchRaw(kafka: Kafka, scratch: ScratchDatabase, prefix: string, options: Options) {
  // Claim everything the relay sent, in its order, to rebuild identical messages (then put the rows back).
  await scratch.db.raw(`update outbox set status = 'pending', sent_at = null where aggregate_id like ?`, [
    `${prefix}-%`,
  ]);
  const rows: OutboxRow[] = [];
  const sweep = new ClaimSweep();
  for (let more = true; more;) {
    const claim = await claimBatch(scratch.db, 'bench-raw', {
      batch: options.batch,
      leaseMs: 600_000,
      after: sweep.after,
    });
    more = sweep.advance(claim);
    rows.push(...claim.rows.filter((r) => r.eventType === 'BenchEvent'));
    await markSent(
      scratch.db,
      claim.rows.map((r) => r.id),
    );
  }
  const batches: OutboxRow[][] = [];
  for (let i = 0; i < rows.length; i += options.batch) batches.push(rows.slice(i, i + options.batch));

  const counter = await startCounter(kafka, TOPIC, prefix);
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  try {
    const start = Date.now();
    for (const batch of batches)
      await producer.sendBatch({ topicMessages: toTopicMessages(batch, KAFKA_PREFIX), acks: -1 });
    const sendMs = Date.now() - start;
    while (counter.count < rows.length) await sleep(10);
    const consumedMs = Date.now() - start;
    return {
      messages: rows.length,
      sendMs,
      consumedMs,
      rate: rows.length / (sendMs / 1000),
      consumeRate: rows.length / (consumedMs / 1000),
    };
  } finally {
    await producer.disconnect();
    await counter.stop();
  }
}

async function main(): Promise<void> {
  const program = new Command('bench:outbox')
    .option('--rows <n>', 'backlog rows', positiveInt('rows'), 100_000)
    .option('--aggregates <n>', 'distinct aggregates', positiveInt('aggregates'), 2_000)
    .option(
      '--batch <n>',
      'rows per claim / per sendBatch',
      positiveInt('batch'),
      loadConfig().relay.batchSize,
    )
    .option('--rate <n>', 'steady insert load, events/s', positiveInt('rate'), 200)
    .option('--seconds <n>', 'duration of the steady load', positiveInt('seconds'), 10)
    .option('--payload-bytes <n>', 'filler bytes per payload', positiveInt('payload-bytes'), 200)
    .option(
      '--workers <n>',
      'relay workers per database',
      positiveInt('workers'),
      loadConfig().relay.workersPerDatabase,
    )
    .parse(process.argv);
  const options = program.opts<Options>();
  const prefix = `bench-${Date.now().toString(36)}`;
  const kafka = createKafka({ clientSuffix: 'bench' });
  await ensureTopics(kafka, { topics: [TOPIC] });
  const scratch = await createScratchDatabase('bench');
  try {
    console.log(
      `machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? '?'}, ${round(os.totalmem() / 2 ** 30, 1)} GiB RAM, node ${process.version}, load avg ${os
        .loadavg()
        .map((l) => round(l, 2))
        .join(' ')}`,
    );
    console.log(`options: ${JSON.stringify(options)}`);
    const relay = await benchRelayDrain(kafka, scratch, prefix, options);
    console.log(
      `relay: ${options.rows} rows committed in ${relay.loadMs} ms; delivered in ${relay.drainMs} ms = ${round(relay.drainRate)} msg/s; ` +
        `consumed in ${relay.consumedMs} ms = ${round(relay.consumeRate)} msg/s`,
    );
    console.log(
      `relay latency (commit→consume, ${options.rate} events/s for ${options.seconds} s, ${relay.latencyMeasured}/${relay.steadyEvents} measured): ` +
        `p50 ${relay.p50} ms, p99 ${relay.p99} ms, max ${relay.max} ms`,
    );
    const raw = await benchRaw(kafka, scratch, prefix, options);
    console.log(
      `raw kafkajs producer: ${raw.messages} messages sent in ${raw.sendMs} ms = ${round(raw.rate)} msg/s; consumed in ${raw.consumedMs} ms`,
    );
    console.log(`ratio relay/raw (send rate): ${round(relay.drainRate / raw.rate, 3)}`);
    console.log(
      JSON.stringify({ bench: 'outbox', options, relay, raw, ratio: round(relay.drainRate / raw.rate, 3) }),
    );
  } finally {
    await scratch.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
