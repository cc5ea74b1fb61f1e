/**
 * A poison row (over the broker's max message size): retried with backoff, dead after N attempts, its aggregate's
 * later rows wait (reported as blocked), other aggregates keep flowing; after the fix a redrive delivers them all in
 * order.
 */
import type { Kafka } from 'kafkajs';
import { createKafka } from '../../../common/kafka';
import { ensureTopics } from '../../../outbox/topics';
import { createScratchDatabase, type ScratchDatabase } from '../../../tools/bench/scratch-db';
import { openOutboxDatabases, closeOutboxDatabases, type OutboxDatabase } from '../../../outbox/databases';
import {
  InvalidCursorError,
  listDeadLetters,
  pageDeadLetters,
  redriveDeadLetter,
} from '../../../outbox/dead-letters';
import { getOutboxLag } from '../../../outbox/lag';
import { OutboxRelay } from '../../../workers/relay/relay';
import { captureMessages, eventIdsByAggregate } from './support/capture';
import { runCleanups } from './support/cleanup';
import { commitEvents, eventually, runId, storedRows } from './support/events';

const MAX_ATTEMPTS = 3;
/** Over Kafka's default max.message.bytes (1 MB). */
const POISON_BYTES = 1_200_000;

describe('poison row', () => {
  let scratch: ScratchDatabase;
  let kafka: Kafka;
  let databases: OutboxDatabase[];
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    scratch = await createScratchDatabase('relaytest');
    databases = openOutboxDatabases([scratch.url]);
    kafka = createKafka({ clientSuffix: 'test' });
    await ensureTopics(kafka);
  });

  afterAll(async () => {
    await runCleanups(cleanups);
    await closeOutboxDatabases(databases);
    await scratch.drop();
  });

  test('dies after N attempts, blocks only its aggregate, and a redrive after the fix delivers all in order', async () => {
    const run = runId('poison');
    const capture = await captureMessages(kafka, (id) => id.startsWith(run));
    cleanups.push(() => capture.stop());
    const relay = OutboxRelay.start({
      databaseUrls: [scratch.url],
      kafka,
      createTopics: false,
      settings: {
        maxAttempts: MAX_ATTEMPTS,
        backoffBaseMs: 50,
        backoffMaxMs: 200,
        pollIntervalMs: 200,
        lagLogIntervalMs: 0,
      },
    });
    cleanups.push(() => relay.stop());

    const poisoned = `${run}-poisoned`;
    const event = (aggregateId: string, eventType: string, payload: Record<string, unknown> = {}) => ({
      aggregateType: 'order',
      aggregateId,
      eventType,
      payload: { orderId: aggregateId, ...payload },
    });
    // One transaction per event, so the poison sits in the middle of its aggregate and of a batch with others.
    const [before] = await commitEvents(scratch.db, [event(poisoned, 'Before')]);
    const [poison] = await commitEvents(scratch.db, [
      event(poisoned, 'Poison', { blob: 'x'.repeat(POISON_BYTES) }),
      event(`${run}-other-0`, 'Other'),
    ]);
    const [after1] = await commitEvents(scratch.db, [event(poisoned, 'After1')]);
    const [after2] = await commitEvents(scratch.db, [event(poisoned, 'After2')]);
    const others: string[] = [];
    for (let i = 1; i <= 5; i++)
      others.push(...(await commitEvents(scratch.db, [event(`${run}-other-${i}`, 'Other')])));

    await eventually(
      async () => (await storedRows(scratch.db, poisoned)).find((r) => r.id === poison)?.status === 'dead',
      'the poison row to die',
    );
    const rows = await storedRows(scratch.db, poisoned);
    const poisonRow = rows.find((r) => r.id === poison);
    expect(poisonRow).toMatchObject({
      status: 'dead',
      attempts: MAX_ATTEMPTS,
      last_error: expect.stringMatching(/too large|MESSAGE_TOO_LARGE|RECORD_LIST_TOO_LARGE/i),
    });
    expect(rows.filter((r) => r.id === after1 || r.id === after2).map((r) => r.status)).toEqual([
      'pending',
      'pending',
    ]);

    // Other aggregates flow, including ones written after the poison died.
    const late = await commitEvents(scratch.db, [event(`${run}-other-late`, 'Late')]);
    await capture.waitFor(
      (m) => [...others, ...late].every((id) => m.some((x) => x.eventId === id)),
      'the other aggregates',
    );
    expect(capture.messages.map((m) => m.eventId)).toEqual(
      expect.not.arrayContaining([poison, after1, after2]),
    );
    expect(eventIdsByAggregate(capture.messages).get(poisoned)).toEqual([before]);

    const [lag] = await getOutboxLag(databases);
    expect(lag).toMatchObject({ deadCount: 1, blockedCount: 2 });
    const dead = await listDeadLetters(databases);
    expect(dead).toEqual([
      expect.objectContaining({ id: poison, aggregateId: poisoned, attempts: MAX_ATTEMPTS, blockedCount: 2 }),
    ]);

    // The fix: shrink the payload. Then redrive: it and the rows behind it go out, in order.
    await scratch
      .db('outbox')
      .where({ id: poison })
      .update({ payload: JSON.stringify({ orderId: poisoned, blob: 'fixed' }) });
    await expect(redriveDeadLetter(poison, databases)).resolves.toEqual({
      database: scratch.name,
      id: poison,
      released: 2,
    });
    await capture.waitFor(
      (m) => [poison, after1, after2].every((id) => m.some((x) => x.eventId === id)),
      'the redriven aggregate',
    );
    expect(eventIdsByAggregate(capture.messages).get(poisoned)).toEqual([before, poison, after1, after2]);
    await eventually(
      async () => (await storedRows(scratch.db, run)).every((r) => r.status === 'sent'),
      'every row sent',
    );
    expect(await listDeadLetters(databases)).toEqual([]);
  });

  test('dead letters come a page at a time across databases (limit + cursor)', async () => {
    const outboxes = await Promise.all([createScratchDatabase('dlqtest'), createScratchDatabase('dlqtest')]);
    const opened = openOutboxDatabases(outboxes.map((o) => o.url));
    cleanups.push(async () => {
      await closeOutboxDatabases(opened);
      await Promise.all(outboxes.map((o) => o.drop()));
    });
    const expected: string[] = [];
    for (const [index, outbox] of outboxes.entries()) {
      const rows = await outbox
        .db('outbox')
        .insert(
          Array.from({ length: 3 - index }, (_, i) => ({
            aggregate_type: 'order',
            aggregate_id: `dead-${index}-${i}`,
            event_type: 'Dead',
            payload: JSON.stringify({}),
            status: 'dead',
            attempts: MAX_ATTEMPTS,
            last_error: 'boom',
          })),
        )
        .returning<{ id: string }[]>('id');
      expected.push(...rows.map((r) => `${outbox.name}/${r.id}`));
    }
    // pages go by database name, then seq (the rows above were inserted in seq order)
    expected.sort((a, b) =>
      a.split('/')[0] < b.split('/')[0] ? -1 : a.split('/')[0] > b.split('/')[0] ? 1 : 0,
    );

    const seen: string[] = [];
    const pages: number[] = [];
    let after: string | undefined;
    do {
      const page = await pageDeadLetters({ limit: 2, ...(after !== undefined ? { after } : {}) }, opened);
      pages.push(page.deadLetters.length);
      seen.push(...page.deadLetters.map((d) => `${d.database}/${d.id}`));
      after = page.nextCursor;
    } while (after !== undefined);
    expect(pages).toEqual([2, 2, 1]);
    expect(seen).toEqual(expected);
    // the first page without a request, as before; a cursor that is not ours is refused
    expect((await listDeadLetters(opened)).map((d) => `${d.database}/${d.id}`)).toEqual(expected);
    await expect(pageDeadLetters({ after: 'bm90LWEtY3Vyc29y' }, opened)).rejects.toThrow(InvalidCursorError);
  });
});
