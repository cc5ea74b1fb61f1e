/**
 * A relay process SIGKILLed between send and mark-sent (the DTX_FAULTS point relay.afterSend=crash) leaves its rows
 * claimed; once the lease expires another relay sends them again, so Kafka holds duplicates. The timeline projector
 * (inbox in the same transaction) still records every event of every order exactly once, in order.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { Kafka } from 'kafkajs';
import { createKafka } from '../../../common/kafka';
import { ensureTopics } from '../../../outbox/topics';
import { createScratchDatabase, type ScratchDatabase } from '../../../tools/bench/scratch-db';
import { OutboxRelay } from '../../../workers/relay/relay';
import { getOrderTimeline } from '../../../timeline/queries';
import { TimelineProjector, TIMELINE_CONSUMER } from '../../../workers/projector/projector';
import { captureMessages } from './support/capture';
import { runCleanups } from './support/cleanup';
import { commitEvents, eventually, expectedOrder, runId, storedRows } from './support/events';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const LEASE_MS = 1500;

/** Runs `npm run relay`'s entry (workers/relay/main.ts) as a child process; resolves with the signal/exit code it ended with. */
function runRelayProcess(
  env: Record<string, string>,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(REPO_ROOT, 'workers', 'relay', 'main.ts')],
      {
        cwd: REPO_ROOT,
        // no ops server: its default port may be taken (a running `npm start`, another test's relay)
        env: { ...process.env, DTX_RELAY_OPS_PORT: '0', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`relay child did not crash within 60 s:\n${output}`));
    }, 60_000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output });
    });
  });
}

describe('relay crash between send and mark-sent', () => {
  let outbox: ScratchDatabase;
  let timeline: ScratchDatabase;
  let kafka: Kafka;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    outbox = await createScratchDatabase('relaytest');
    timeline = await createScratchDatabase('timelinetest', { outbox: false });
    kafka = createKafka({ clientSuffix: 'test' });
    await ensureTopics(kafka);
  });

  afterAll(async () => {
    await runCleanups(cleanups);
    await outbox.drop();
    await timeline.drop();
  });

  test('a duplicate in Kafka, yet an exact timeline', async () => {
    const run = runId('crash');
    const capture = await captureMessages(kafka, (id) => id.startsWith(run));
    cleanups.push(() => capture.stop());
    const projector = await TimelineProjector.start({
      databaseUrl: timeline.url,
      kafka,
      groupId: `dtx-test-timeline-${run}`,
      fromBeginning: false,
    });
    cleanups.push(() => projector.stop());
    await projector.ready;

    // Five orders; each has order events and events of other services that carry its orderId.
    const orders = Array.from({ length: 5 }, (_, i) => `${run}-o${i}`);
    const expected = new Map<string, string[]>(orders.map((o) => [o, []]));
    for (const [step, eventType, aggregateType] of [
      [0, 'OrderCreated', 'order'],
      [1, 'StockReserved', 'inventory'],
      [2, 'PaymentCharged', 'payment'],
      [3, 'OrderConfirmed', 'order'],
    ] as const) {
      for (const orderId of orders) {
        const aggregateId = aggregateType === 'order' ? orderId : `${run}-${aggregateType}-${orderId}`;
        const [id] = await commitEvents(outbox.db, [
          {
            aggregateType,
            aggregateId,
            eventType,
            payload: { orderId, step },
            headers: { 'tx-id': `order-${orderId}` },
          },
        ]);
        expected.get(orderId)?.push(id);
      }
    }
    const all = [...expected.values()].flat();

    const crashed = await runRelayProcess({
      DTX_RELAY_DB_URLS: outbox.url,
      DTX_FAULTS: 'relay.afterSend=crash:1',
      DTX_RELAY_LEASE_MS: String(LEASE_MS),
      DTX_RELAY_LAG_LOG_MS: '0',
      LOG_LEVEL: 'warn',
    });
    expect(crashed.signal).toBe('SIGKILL');
    // Kafka has the batch, the database still has it claimed by the dead relay: the crash fell between the two.
    await capture.waitFor(
      (m) => all.every((id) => m.some((x) => x.eventId === id)),
      'the crashed relay’s batch',
    );
    // (the claim is written on each aggregate's first unsent row; it holds the rest of the aggregate)
    const afterCrash = await storedRows(outbox.db, run);
    expect(afterCrash.every((r) => r.status === 'pending')).toBe(true);
    const heads = [...expectedOrder(afterCrash).values()].map((ids) => ids[0]);
    expect(afterCrash.filter((r) => heads.includes(r.id)).every((r) => r.claimed_by !== null)).toBe(true);

    // A healthy relay takes over once the lease has expired and sends the batch again.
    const relay = OutboxRelay.start({
      databaseUrls: [outbox.url],
      kafka,
      createTopics: false,
      settings: { pollIntervalMs: 200, lagLogIntervalMs: 0 },
    });
    cleanups.push(() => relay.stop());
    await eventually(
      async () => (await storedRows(outbox.db, run)).every((r) => r.status === 'sent'),
      'the rows re-sent and marked',
    );
    await capture.waitFor((m) => m.length >= all.length * 2, 'the duplicates');
    for (const id of all) expect(capture.messages.filter((m) => m.eventId === id)).toHaveLength(2);

    // The projector saw every event twice and recorded each once, in order.
    await eventually(
      () => projector.counts.applied + projector.counts.duplicates >= all.length * 2,
      'the projector to consume the duplicates',
    );
    expect(projector.counts.applied).toBe(all.length);
    expect(projector.counts.duplicates).toBeGreaterThanOrEqual(all.length);
    for (const orderId of orders) {
      const entries = await getOrderTimeline(orderId, projector.db);
      expect(entries.map((e) => e.eventId)).toEqual(expected.get(orderId));
      expect(entries.map((e) => e.eventType)).toEqual([
        'OrderCreated',
        'StockReserved',
        'PaymentCharged',
        'OrderConfirmed',
      ]);
      expect(entries.map((e) => e.position)).toEqual([1, 2, 3, 4]);
    }
    const inbox = await projector
      .db('inbox')
      .where({ consumer: TIMELINE_CONSUMER })
      .count<{ count: string }[]>('* as count');
    expect(Number(inbox[0].count)).toBe(all.length);
  });
});
