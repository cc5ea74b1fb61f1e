/**
 * A send that outlives the claim lease (kafkajs retries, a slow broker): the lane renews its claim while sending, so
 * its sibling lane never takes the rows over and sends them a second time. Real PostgreSQL; a Kafka stand-in whose
 * sends take several lease periods.
 */
import type { Kafka, ProducerBatch } from 'kafkajs';
import { createScratchDatabase, type ScratchDatabase } from '../../../tools/bench/scratch-db';
import { OutboxRelay } from '../../../workers/relay/relay';
import { runCleanups } from './support/cleanup';
import { commitEvents, eventually, runId, sleep, storedRows } from './support/events';

const LEASE_MS = 300;
const SEND_MS = 1500;

/** The part of kafkajs the relay's sender uses: every sendBatch takes SEND_MS and records its event ids. */
function slowKafka(sent: string[]): Kafka {
  const producer = {
    connect: () => Promise.resolve(),
    disconnect: () => Promise.resolve(),
    async sendBatch(batch: ProducerBatch) {
      await sleep(SEND_MS);
      for (const topic of batch.topicMessages ?? [])
        for (const message of topic.messages)
          sent.push(String((message.headers as Record<string, string>)['event-id']));
      return [];
    },
  };
  // a stand-in: only producer() is called (createTopics is off)
  return { producer: () => producer } as unknown as Kafka;
}

describe('claim lease during a long send', () => {
  let scratch: ScratchDatabase;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    scratch = await createScratchDatabase('relaytest');
  });

  afterAll(async () => {
    await runCleanups(cleanups);
    await scratch.drop();
  });

  test('is renewed, so a sibling lane never sends the same rows again', async () => {
    const run = runId('lease');
    const ids = await commitEvents(
      scratch.db,
      Array.from({ length: 5 }, (_, i) => ({
        aggregateType: 'order',
        aggregateId: `${run}-a`,
        eventType: `Step${i}`,
        payload: {},
      })),
    );
    const sent: string[] = [];
    const relay = OutboxRelay.start({
      databaseUrls: [scratch.url],
      kafka: slowKafka(sent),
      createTopics: false,
      relayId: `${run}-relay`,
      // two lanes polling every 50 ms: an expired claim would be taken over at once
      settings: { workersPerDatabase: 2, claimLeaseMs: LEASE_MS, pollIntervalMs: 50, lagLogIntervalMs: 0 },
    });
    cleanups.push(() => relay.stop());

    // while the first send runs (five lease periods), the claim stays live and belongs to one lane
    await eventually(
      async () => (await storedRows(scratch.db, run)).some((r) => r.claimed_by !== null),
      'a claim',
    );
    const claimers = new Set<string>();
    for (let i = 0; i < 10; i++) {
      const rows = await storedRows(scratch.db, run);
      for (const row of rows) if (row.claimed_by !== null) claimers.add(row.claimed_by);
      await sleep(100);
    }
    await eventually(
      async () => (await storedRows(scratch.db, run)).every((r) => r.status === 'sent'),
      'every row sent',
    );
    await sleep(SEND_MS);
    // each event sent once, in order
    expect(sent.filter((id) => ids.includes(id))).toEqual(ids);
    // one claimer all along, and it is a lane's own id
    expect([...claimers]).toHaveLength(1);
    expect([...claimers][0]).toMatch(new RegExp(`^${run}-relay/[01]$`));
  });
});
