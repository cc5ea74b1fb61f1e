/**
 * Async payments end to end (issue 14), all real: the four services, the orchestrator worker with the real
 * activities, the outbox relay over dtx_payment, Kafka, the payment provider simulator (its rule set per customer by
 * the test), the payment bridge (Kafka → Temporal signal). Each case checks the databases' truth.
 */
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal as temporalProto } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import type { Kafka, Producer } from 'kafkajs';
import { register } from 'prom-client';
import { createKafka } from '../../../common/kafka';
import { EVENT_HEADERS } from '../../../outbox/messages';
import { topicFor } from '../../../outbox/topics';
import { listConsumerDeadLetters } from '../../../outbox/inbox/dead-letters';
import { ProviderSimulator, type ProviderDecision } from '../../../provider/simulator';
import { call } from '../../../services/rpc/clients';
import { PaymentBridge, PAYMENT_BRIDGE_CONSUMER } from '../../../workers/payment-bridge/bridge';
import { OutboxRelay } from '../../../workers/relay/relay';
import { txStateQuery, type PlaceOrderInput } from '../../../workflows/contract';
import { captureMessages, type Capture } from '../outbox/support/capture';
import { PRICE, seed, startSystem, truthOf, uid, type Shop, type System } from './support/system';
import { txStatusOf, waitForTxState, workflowBundle } from './support/temporal';

jest.setTimeout(180_000);

const FAST = { initialIntervalMs: 100, maximumIntervalMs: 500 };
const BALANCE = 100_000;

let system: System;
let kafka: Kafka;
let producer: Producer;
let relay: OutboxRelay;
let provider: ProviderSimulator;
let bridge: PaymentBridge | undefined;
let capture: Capture;
const bridgeGroup = `test-payment-bridge-${randomUUID().slice(0, 8)}`;
/** The provider's answer per customer (default: success after 300 ms). */
const rules = new Map<string, ProviderDecision>();
let paymentTopic: string;

const startBridge = async () => {
  bridge = await PaymentBridge.start({
    config: system.config,
    kafka,
    groupId: bridgeGroup,
    fromBeginning: false,
  });
  await bridge.ready;
};

beforeAll(async () => {
  system = await startSystem();
  kafka = createKafka({ clientSuffix: 'test-async-payment' });
  paymentTopic = topicFor('payment', system.config.kafka.namePrefix);
  relay = OutboxRelay.start({
    databaseUrls: [system.config.databases.payment],
    kafka,
    config: system.config,
  });
  provider = await ProviderSimulator.start({
    config: system.config,
    kafka,
    clients: system.clients,
    groupId: `test-payment-provider-${randomUUID().slice(0, 8)}`,
    decide: (payment) => rules.get(payment.customerId) ?? { result: 'SUCCEEDED', delayMs: 300 },
  });
  capture = await captureMessages(kafka, () => true, [paymentTopic]);
  await startBridge();
  producer = kafka.producer();
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await bridge?.stop();
  await capture?.stop();
  await provider?.stop();
  await relay?.stop();
  await system?.stop();
});

function order(shop: Shop, overrides: Partial<PlaceOrderInput> = {}): PlaceOrderInput {
  return {
    orderId: uid('ord'),
    customerId: shop.customer,
    items: [
      { sku: shop.skus[0], quantity: 2 },
      { sku: shop.skus[1], quantity: 1 },
    ],
    couponCode: shop.coupon,
    retry: FAST,
    payment: 'async',
    paymentTimeoutMs: 60_000,
    ...overrides,
  };
}

interface PaymentRow {
  state: string;
  kind: string;
  amount: number;
  providerResult: string | null;
}
async function paymentRow(txId: string): Promise<PaymentRow | undefined> {
  const row = await system
    .db('payment')('payments')
    .where({ tx_id: txId, branch_id: 'payment' })
    .first<{ state: string; kind: string; amount: string; provider_result: string | null } | undefined>();
  return (
    row && {
      state: row.state,
      kind: row.kind,
      amount: Number(row.amount),
      providerResult: row.provider_result,
    }
  );
}

async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function metricSum(name: string): Promise<number> {
  const metric = register.getSingleMetric(name);
  if (!metric) return 0;
  return (await metric.get()).values.reduce((sum, v) => sum + v.value, 0);
}

/** Event history of a run: type and time of each event, relative to the first. */
async function sequenceOf(handle: WorkflowHandle): Promise<string[]> {
  const history = await handle.fetchHistory();
  const events = history.events ?? [];
  const first = Number(events[0]?.eventTime?.seconds ?? 0) * 1000 + (events[0]?.eventTime?.nanos ?? 0) / 1e6;
  return events.map((e) => {
    const at = Number(e.eventTime?.seconds ?? 0) * 1000 + (e.eventTime?.nanos ?? 0) / 1e6;
    const type = String(temporalProto.api.enums.v1.EventType[e.eventType ?? 0]).replace(/^EVENT_TYPE_/, '');
    const iso = new Date(at).toISOString();
    const detail =
      e.activityTaskScheduledEventAttributes?.activityType?.name ??
      e.workflowExecutionSignaledEventAttributes?.signalName ??
      e.markerRecordedEventAttributes?.markerName ??
      (e.timerStartedEventAttributes ? `timer ${String(e.timerStartedEventAttributes.timerId)}` : '');
    return `${iso} +${String(Math.round(at - first)).padStart(5)} ms  ${type}${detail ? ` (${detail})` : ''}`;
  });
}

/** The finished run replays on the current workflow code (the async path is deterministic). */
async function expectReplays(handle: WorkflowHandle): Promise<void> {
  const history = await handle.fetchHistory();
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, handle.workflowId);
}

/** A message on the payment topic as a provider-event producer would write it. */
async function produce(eventType: string, value: string, eventId = randomUUID()): Promise<string> {
  await producer.send({
    topic: paymentTopic,
    messages: [
      {
        key: 'test-customer',
        value,
        headers: {
          [EVENT_HEADERS.eventId]: eventId,
          [EVENT_HEADERS.eventType]: eventType,
          [EVENT_HEADERS.aggregateType]: 'payment',
          [EVENT_HEADERS.aggregateId]: 'test-customer',
        },
      },
    ],
  });
  return eventId;
}

async function inboxRows(eventId: string): Promise<number> {
  const rows = await bridge!
    .db('inbox')
    .where({ consumer: PAYMENT_BRIDGE_CONSUMER, event_id: eventId })
    .count<{ count: string }[]>('* as count');
  return Number(rows[0].count);
}

test('success: waits (WAITING_FOR_PAYMENT), the result crosses Kafka, COMPLETED; a replayed event has no second effect', async () => {
  const shop = await seed(system.clients, BALANCE);
  rules.set(shop.customer, { result: 'SUCCEEDED', delayMs: 2_000 });
  const input = order(shop);
  const handle = await system.start('saga', input);
  const total = 3 * PRICE - shop.couponOff;

  const waiting = await waitForTxState(handle, (s) => s.status === 'WAITING_FOR_PAYMENT');
  expect(waiting.payment).toMatchObject({ mode: 'async', state: 'WAITING_FOR_PAYMENT', timeoutMs: 60_000 });
  expect(await txStatusOf(handle)).toBe('WAITING_FOR_PAYMENT');
  expect(await paymentRow(handle.workflowId)).toMatchObject({ state: 'PENDING', kind: 'AUTHORIZE' });
  const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
  expect(metadata.currentDetails).toContain('— **WAITING_FOR_PAYMENT**');

  await expect(handle.result()).resolves.toEqual({ status: 'COMPLETED', orderId: input.orderId, total });
  const truth = await truthOf(system, shop, input.orderId, handle.workflowId);
  expect(truth).toMatchObject({
    order: { status: 'CONFIRMED', total },
    coupon: { state: 'USED', txId: handle.workflowId },
    wallet: { balance: BALANCE - total, frozen: 0 },
  });
  expect(truth.events.payment).toEqual(['PaymentPending', 'PaymentSucceeded']);
  expect(truth.barrier.payment).toEqual(['payment:action']);
  expect(await paymentRow(handle.workflowId)).toEqual({
    state: 'SUCCEEDED',
    kind: 'AUTHORIZE',
    amount: total,
    providerResult: 'SUCCEEDED',
  });
  const final = await handle.query(txStateQuery);
  expect(final).toMatchObject({ status: 'COMPLETED', payment: { state: 'SUCCEEDED' } });
  expect(await txStatusOf(handle)).toBe('COMPLETED');

  // the bridge receives the same Kafka message again: the inbox drops it, no second signal, no second effect
  await capture.waitFor(
    (m) => m.some((x) => x.eventType === 'PaymentSucceeded' && x.value.txId === handle.workflowId),
    'PaymentSucceeded on Kafka',
  );
  const original = capture.messages.find(
    (x) => x.eventType === 'PaymentSucceeded' && x.value.txId === handle.workflowId,
  )!;
  const duplicatesBefore = bridge!.counts.duplicates;
  await producer.send({
    topic: paymentTopic,
    messages: [{ key: original.key, value: JSON.stringify(original.value), headers: original.headers }],
  });
  await eventually('the replayed message skipped', () =>
    Promise.resolve(bridge!.counts.duplicates > duplicatesBefore ? true : undefined),
  );
  expect(await inboxRows(original.eventId)).toBe(1);
  // the order's PaymentPending came first on the same partition (key = customer): the bridge passed it by, no inbox row
  const pending = capture.messages.find(
    (x) => x.eventType === 'PaymentPending' && x.value.txId === handle.workflowId,
  )!;
  expect(pending).toBeDefined();
  expect(await inboxRows(pending.eventId)).toBe(0);
  const history = await handle.fetchHistory();
  const signals = (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes);
  expect(signals).toHaveLength(1);
  expect((await truthOf(system, shop, input.orderId, handle.workflowId)).wallet).toEqual({
    balance: BALANCE - total,
    frozen: 0,
  });

  await expectReplays(handle);
  // the sequence of one async order, for the record
  console.log(
    `async order ${input.orderId} (${handle.workflowId}):\n${(await sequenceOf(handle)).join('\n')}`,
  );
});

test('decline: COMPENSATED PAYMENT_DECLINED, hold released, stock and coupon given back', async () => {
  const shop = await seed(system.clients, BALANCE);
  rules.set(shop.customer, { result: 'DECLINED', delayMs: 300, reason: 'card declined' });
  const input = order(shop);
  const handle = await system.start('saga', input);
  await expect(handle.result()).resolves.toEqual({
    status: 'COMPENSATED',
    orderId: input.orderId,
    reason: 'PAYMENT_DECLINED',
    failedStep: 'payment',
  });
  const truth = await truthOf(system, shop, input.orderId, handle.workflowId);
  const [a, b] = shop.skus;
  expect(truth).toMatchObject({
    order: { status: 'CANCELLED' },
    stock: { [a]: { available: 10, frozen: 0, sold: 0 }, [b]: { available: 10, frozen: 0, sold: 0 } },
    coupon: { state: 'AVAILABLE', txId: null },
    wallet: { balance: BALANCE, frozen: 0 },
  });
  expect(truth.events.payment).toEqual(['PaymentPending', 'PaymentFailed']);
  expect(truth.barrier.payment).toEqual(['payment:action', 'payment:compensate']);
  expect(await paymentRow(handle.workflowId)).toMatchObject({
    state: 'DECLINED',
    providerResult: 'DECLINED',
  });
  await expectReplays(handle);
  const state = await handle.query(txStateQuery);
  expect(state).toMatchObject({
    status: 'COMPENSATED',
    reason: 'PAYMENT_DECLINED',
    payment: { state: 'DECLINED', reason: 'the provider declined the payment: card declined' },
  });
});

test('timeout, then a late success: COMPENSATED PAYMENT_TIMEOUT, the late money refunded, wallet back', async () => {
  const shop = await seed(system.clients, BALANCE);
  rules.set(shop.customer, { result: 'SUCCEEDED', delayMs: 5_000 });
  const input = order(shop, { paymentTimeoutMs: 1_500 });
  const handle = await system.start('saga', input);
  const droppedBefore = await metricSum('dtx_payment_bridge_signals_dropped_total');
  await expect(handle.result()).resolves.toEqual({
    status: 'COMPENSATED',
    orderId: input.orderId,
    reason: 'PAYMENT_TIMEOUT',
    failedStep: 'payment',
  });
  // cancelled at the timeout: the hold is back before the provider says anything
  expect(await paymentRow(handle.workflowId)).toMatchObject({ state: 'CANCELLED', providerResult: null });
  expect((await truthOf(system, shop, input.orderId, handle.workflowId)).wallet).toEqual({
    balance: BALANCE,
    frozen: 0,
  });

  const late = await eventually('the late success', async () => {
    const row = await paymentRow(handle.workflowId);
    return row?.providerResult ? row : undefined;
  });
  expect(late).toMatchObject({ state: 'REFUNDED', providerResult: 'SUCCEEDED' });
  const truth = await truthOf(system, shop, input.orderId, handle.workflowId);
  expect(truth).toMatchObject({
    order: { status: 'CANCELLED' },
    coupon: { state: 'AVAILABLE', txId: null },
    wallet: { balance: BALANCE, frozen: 0 },
  });
  expect(truth.events.payment).toEqual([
    'PaymentPending',
    'PaymentAuthorizationCancelled',
    'PaymentSucceeded',
    'PaymentRefunded',
  ]);
  await expectReplays(handle);
  // its PaymentSucceeded reaches the bridge after the workflow ended: dropped with the metric, no crash
  await eventually('the late result dropped', async () =>
    (await metricSum('dtx_payment_bridge_signals_dropped_total')) > droppedBefore ? true : undefined,
  );
});

test('bridge down while results arrive: they wait in Kafka, both orders complete once it is back', async () => {
  await bridge!.stop();
  bridge = undefined;
  // partitions the group never committed on would start at their end on restart: pin them to where they are now
  const admin = kafka.admin();
  await admin.connect();
  const committed = await admin.fetchOffsets({ groupId: bridgeGroup, topics: [paymentTopic] });
  const ends = await admin.fetchTopicOffsets(paymentTopic);
  const unset = committed[0].partitions.filter((p) => p.offset === '-1');
  if (unset.length > 0) {
    await admin.setOffsets({
      groupId: bridgeGroup,
      topic: paymentTopic,
      partitions: unset.map((p) => ({
        partition: p.partition,
        offset: ends.find((e) => e.partition === p.partition)!.high,
      })),
    });
  }
  await admin.disconnect();

  const shops = [await seed(system.clients, BALANCE), await seed(system.clients, BALANCE)];
  const inputs = shops.map((shop) => order(shop));
  const handles = await Promise.all(inputs.map((input) => system.start('saga', input)));
  // the provider answered and the results are on Kafka, but nobody delivers them
  for (const handle of handles) {
    await eventually('the provider result', async () =>
      (await paymentRow(handle.workflowId))?.providerResult ? true : undefined,
    );
    await capture.waitFor(
      (m) => m.some((x) => x.eventType === 'PaymentSucceeded' && x.value.txId === handle.workflowId),
      'PaymentSucceeded on Kafka',
    );
  }
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  for (const handle of handles) {
    expect((await handle.query(txStateQuery)).status).toBe('WAITING_FOR_PAYMENT');
  }

  await startBridge();
  for (const [i, handle] of handles.entries()) {
    const result = await handle.result();
    expect(result).toMatchObject({ status: 'COMPLETED' });
    const truth = await truthOf(system, shops[i], inputs[i].orderId, handle.workflowId);
    const total = 3 * PRICE - shops[i].couponOff;
    expect(truth).toMatchObject({
      order: { status: 'CONFIRMED', total },
      wallet: { balance: BALANCE - total, frozen: 0 },
    });
  }
});

test('a result for an unknown transaction is dropped with the metric; the bridge keeps going', async () => {
  const before = await metricSum('dtx_payment_bridge_signals_dropped_total');
  const payload = { txId: `order-${uid('nobody')}`, branchId: 'payment', customerId: 'x', amount: 1 };
  const eventId = await produce('PaymentSucceeded', JSON.stringify(payload));
  // handled once its inbox row committed (the metric counts before the commit, so it is read after)
  await eventually('the event handled', async () => ((await inboxRows(eventId)) === 1 ? true : undefined));
  expect(await metricSum('dtx_payment_bridge_signals_dropped_total')).toBeGreaterThan(before);
  // still consuming: a later malformed event is handled too (next test) — and an order still completes
  const shop = await seed(system.clients, BALANCE);
  const handle = await system.start('saga', order(shop));
  await expect(handle.result()).resolves.toMatchObject({ status: 'COMPLETED' });
});

test('a malformed payment event is dead-lettered with its reason', async () => {
  const before = await metricSum('dtx_payment_bridge_dead_letters_total');
  const noTx = await produce('PaymentFailed', JSON.stringify({ branchId: 'payment', amount: 1 }));
  const notJson = await produce('PaymentSucceeded', 'not json {');
  const dead = await eventually('two dead letters', async () => {
    const rows = (await listConsumerDeadLetters(bridge!.db, PAYMENT_BRIDGE_CONSUMER)).filter((r) =>
      [noTx, notJson].includes(r.eventId),
    );
    return rows.length === 2 ? rows : undefined;
  });
  expect(Object.fromEntries(dead.map((r) => [r.eventId, r.reason]))).toEqual({
    [noTx]: 'payload.txId is missing',
    [notJson]: 'payload is not a JSON object',
  });
  expect(await metricSum('dtx_payment_bridge_dead_letters_total')).toBe(before + 2);
});

test('payment service: a result for an unknown payment is NOT_FOUND; a repeat is DUPLICATE, a contradiction refused', async () => {
  const unknown = {
    branch: { txId: `order-${uid('none')}`, branchId: 'payment' },
    result: 'SUCCEEDED' as const,
  };
  await expect(call(system.clients.payment, 'reportResult', unknown)).rejects.toMatchObject({
    code: grpc.status.NOT_FOUND,
  });

  const shop = await seed(system.clients, BALANCE);
  const branch = { txId: `direct-${uid('tx')}`, branchId: 'payment' };
  const authorize = { branch, customerId: shop.customer, orderId: uid('o'), amount: 700 };
  expect(await call(system.clients.payment, 'authorize', authorize)).toMatchObject({
    outcome: 'APPLIED',
    wallet: { balance: BALANCE - 700, frozen: 700 },
  });
  expect(await call(system.clients.payment, 'authorize', authorize)).toMatchObject({ outcome: 'DUPLICATE' });
  const report = { branch, result: 'DECLINED' as const, reason: 'no' };
  expect(await call(system.clients.payment, 'reportResult', report)).toEqual({
    outcome: 'APPLIED',
    state: 'DECLINED',
  });
  expect(await call(system.clients.payment, 'reportResult', report)).toEqual({
    outcome: 'DUPLICATE',
    state: 'DECLINED',
  });
  await expect(
    call(system.clients.payment, 'reportResult', { ...report, result: 'SUCCEEDED' }),
  ).rejects.toMatchObject({ code: grpc.status.FAILED_PRECONDITION });
  const wallet = await call(system.clients.payment, 'getWallet', { customerId: shop.customer });
  expect(wallet).toMatchObject({ balance: BALANCE, frozen: 0 });
  const events = await system
    .db('payment')('outbox')
    .whereRaw(`headers->>'tx-id' = ?`, [branch.txId])
    .orderBy('seq')
    .pluck('event_type');
  expect(events).toEqual(['PaymentPending', 'PaymentFailed']);
});
