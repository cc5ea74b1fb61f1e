/**
 * Every part's /metrics after one completed and one compensated (INSUFFICIENT_FUNDS) Saga order, placed through the
 * real API over HTTP, on real gRPC services, a real Temporal worker (its runtime installed as workers/orchestrator
 * does: core's Prometheus endpoint behind the worker's ops server), a relay and a projector against the real stack.
 * The counters must move by exactly what happened. The parts share this process (so one prom-client registry), but
 * each is scraped on its own ops server, as Prometheus would.
 */
import { randomUUID } from 'node:crypto';
import { startOpsServer, type OpsServer, type ReadinessCheck } from '../../../common/ops-server';
import { loadConfig, OPS_PORT_VARIABLES, SERVICE_NAMES, type OpsPart } from '../../../common/config';
import { getOrderTimeline } from '../../../timeline/queries';
import { TimelineProjector } from '../../../workers/projector/projector';
import { installWorkerRuntime, type WorkerRuntime } from '../../../workers/orchestrator/runtime';
import { OutboxRelay } from '../../../workers/relay/relay';
import { startApi, type RunningApi } from '../api/support/http';
import { eventually, seed, startSystem, type Catalogue, type System } from '../api/support/system';
import { DTX_METRICS } from './support/metric-names';
import { familyNames, scrape, type Scrape } from './support/prometheus';

let runtime: WorkerRuntime;
let system: System;
let api: RunningApi;
let relay: OutboxRelay;
let projector: TimelineProjector;
const ops = {} as Record<OpsPart, OpsServer>;
let rich: Catalogue;
let poor: Catalogue;

async function opsServer(
  part: OpsPart,
  checks: Record<string, ReadinessCheck>,
  extra?: () => Promise<string>,
): Promise<OpsServer> {
  return startOpsServer({
    part,
    host: '127.0.0.1',
    port: 0,
    portVariable: OPS_PORT_VARIABLES[part],
    checks,
    extraMetrics: extra,
  });
}

beforeAll(async () => {
  // first, as the worker process does: the SDK's logs through pino, core's metrics on a private port
  runtime = await installWorkerRuntime(loadConfig());
  system = await startSystem();
  api = await startApi({ deps: system.deps });
  const config = system.config;
  relay = OutboxRelay.start({ config, createTopics: false, settings: { lagLogIntervalMs: 0 } });
  // its own group: it sees every event from now on (the inbox drops those another test projector applied first)
  projector = await TimelineProjector.start({
    config,
    groupId: `test.metrics-${randomUUID()}`,
    fromBeginning: false,
  });
  await projector.ready;
  ops.services = await opsServer(
    'services',
    Object.fromEntries(
      SERVICE_NAMES.map((s) => [s, () => system.services[s].db.raw('select 1').then(() => true)]),
    ),
  );
  ops.worker = await opsServer(
    'worker',
    { temporalPoll: () => Promise.resolve(system.worker.getState() === 'RUNNING') },
    runtime.scrapeCore,
  );
  ops.relay = await opsServer('relay', relay.readinessChecks());
  ops.projector = await opsServer('projector', projector.readinessChecks());
  rich = await seed(system.clients, { stock: 10, balance: 100_000, products: 1 });
  poor = await seed(system.clients, { stock: 10, balance: 1, products: 1 });
}, 180_000);

afterAll(async () => {
  await Promise.all(Object.values(ops).map((o) => o.close()));
  await api?.close();
  await projector?.stop();
  await relay?.stop();
  await system?.stop();
});

/**
 * The barrier outcomes the tx_barrier rows of these orders' transactions record, by "service op outcome": a forward
 * row without a reason was APPLIED (a forward row with one is the marker an empty undo left); an undo is EMPTY when
 * its branch's forward row is such a marker, else APPLIED.
 */
async function barrierOutcomesOf(orderIds: string[]): Promise<Record<string, number>> {
  const outcomes: Record<string, number> = {};
  for (const service of SERVICE_NAMES) {
    const rows = await system
      .db(service)('tx_barrier')
      .whereIn(
        'tx_id',
        orderIds.map((id) => `order-${id}`),
      )
      .select<{ tx_id: string; branch_id: string; op: string; reason: string }[]>(
        'tx_id',
        'branch_id',
        'op',
        'reason',
      );
    for (const row of rows) {
      let outcome: string | undefined;
      if (row.op === 'action' || row.op === 'try') outcome = row.reason === '' ? 'APPLIED' : undefined;
      else if (row.op === 'confirm') outcome = 'APPLIED';
      else {
        const origin = rows.find(
          (r) =>
            r.tx_id === row.tx_id && r.branch_id === row.branch_id && (r.op === 'action' || r.op === 'try'),
        );
        outcome = origin?.reason === row.op ? 'EMPTY' : 'APPLIED';
      }
      if (outcome) {
        const key = `${service} ${row.op} ${outcome}`;
        outcomes[key] = (outcomes[key] ?? 0) + 1;
      }
    }
  }
  return outcomes;
}

const delta = (before: Scrape, after: Scrape, name: string, labels: Record<string, string> = {}) =>
  after.value(name, labels) - before.value(name, labels);

test('every part is ready on /readyz', async () => {
  for (const part of Object.keys(ops) as OpsPart[]) {
    const response = await fetch(`${ops[part].url}/readyz`);
    expect({ part, status: response.status }).toEqual({ part, status: 200 });
  }
});

test('after a completed and a compensated order, every /metrics moved by exactly what happened', async () => {
  const before = {
    api: await scrape(api.url),
    services: await scrape(ops.services.url),
    worker: await scrape(ops.worker.url),
    projector: await scrape(ops.projector.url),
  };

  const completed = await api.request('POST', '/v1/orders?wait=true', {
    body: { customerId: rich.customer, items: [{ sku: rich.skus[0], quantity: 1 }], mode: 'saga' },
  });
  expect(completed.status).toBe(200);
  expect(completed.body).toMatchObject({ status: 'COMPLETED' });
  const compensated = await api.request('POST', '/v1/orders?wait=true', {
    body: { customerId: poor.customer, items: [{ sku: poor.skus[0], quantity: 1 }], mode: 'saga' },
  });
  expect(compensated.status).toBe(200);
  expect(compensated.body).toMatchObject({
    status: 'COMPENSATED',
    outcome: { status: 'COMPENSATED', reason: 'INSUFFICIENT_FUNDS' },
  });
  const orderIds = [completed.body.orderId as string, compensated.body.orderId as string];

  // worker: the workflow's own meter, on this test's task queue alone (exact), and the SDK core's metrics
  const worker = await eventually(async () => {
    const page = await scrape(ops.worker.url);
    return page.value('dtx_transactions_total', { taskQueue: system.taskQueue }) >= 2 ? page : undefined;
  }, 'the transaction counters on the worker');
  const queue = { taskQueue: system.taskQueue, mode: 'saga' };
  expect(
    worker
      .matching('dtx_transactions_total', { taskQueue: system.taskQueue })
      .map((sample) => [sample.labels.mode, sample.labels.status, sample.labels.reason, sample.value])
      .sort(),
  ).toEqual([
    ['saga', 'COMPENSATED', 'INSUFFICIENT_FUNDS', 1],
    ['saga', 'COMPLETED', '', 1],
  ]);
  expect(worker.value('dtx_transaction_duration_seconds_count', { ...queue, status: 'COMPLETED' })).toBe(1);
  expect(worker.value('dtx_transaction_duration_seconds_count', { ...queue, status: 'COMPENSATED' })).toBe(1);
  expect(worker.value('dtx_transaction_duration_seconds_sum', queue)).toBeGreaterThan(0);
  // core's metrics: both workflows completed (a compensated order is a workflow that returned its outcome)
  expect(worker.value('temporal_workflow_completed_total', { task_queue: system.taskQueue })).toBe(2);
  expect(worker.has('temporal_num_pollers')).toBe(true);
  expect(
    worker.has('temporal_workflow_task_execution_latency_seconds') ||
      worker.has('temporal_workflow_task_execution_latency'),
  ).toBe(true);
  expect(worker.value('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  expect(delta(before.worker, worker, 'dtx_transactions_total')).toBe(2);

  // API: the two POSTs, by route pattern and status
  const apiAfter = await scrape(api.url);
  expect(
    delta(before.api, apiAfter, 'dtx_api_requests_total', {
      method: 'POST',
      route: '/v1/orders',
      status: '200',
    }),
  ).toBe(2);
  expect(
    delta(before.api, apiAfter, 'dtx_api_request_duration_seconds_count', {
      method: 'POST',
      route: '/v1/orders',
    }),
  ).toBe(2);
  // the first scrape (GET /metrics) was counted when it was answered
  expect(
    delta(before.api, apiAfter, 'dtx_api_requests_total', {
      method: 'GET',
      route: '/metrics',
      status: '200',
    }),
  ).toBe(1);

  // services: the calls of both orders by method and code, and what the barrier made of them
  const services = await scrape(ops.services.url);
  const calls = (service: string, method: string, code: string) =>
    delta(before.services, services, 'dtx_grpc_server_calls_total', { service, method, code });
  // the poor customer's Charge is refused by the payment service; the barrier row it wrote rolled back with it
  expect(calls('payment', 'Charge', 'FAILED_PRECONDITION')).toBe(1);
  expect(calls('payment', 'Charge', 'OK')).toBe(1);
  // every barrier outcome counted is what the barrier tables of the two transactions hold (database truth)
  const counted: Record<string, number> = {};
  for (const sample of services.matching('dtx_barrier_outcomes_total')) {
    const { service, op, outcome } = sample.labels;
    const moved = delta(before.services, services, 'dtx_barrier_outcomes_total', { service, op, outcome });
    if (moved !== 0) counted[`${service} ${op} ${outcome}`] = moved;
  }
  expect(counted).toEqual(await barrierOutcomesOf(orderIds));
  // the compensated order's undo reached every service it had changed, and its failed payment (nothing to undo)
  expect(counted).toMatchObject({
    'payment action APPLIED': 1,
    'order compensate APPLIED': 1,
    'inventory compensate APPLIED': 1,
    'payment compensate EMPTY': 1,
  });
  expect(delta(before.services, services, 'dtx_barrier_outcomes_total', { outcome: 'DUPLICATE' })).toBe(0);
  expect(delta(before.services, services, 'dtx_barrier_outcomes_total', { outcome: 'REFUSED' })).toBe(0);
  const callSum = delta(before.services, services, 'dtx_grpc_server_calls_total');
  expect(delta(before.services, services, 'dtx_grpc_server_call_duration_seconds_count')).toBe(callSum);

  // projector: every event of the two orders reached this projector's consumer (applied, or dropped by the inbox
  // when another projector of the tests applied it first)
  const events = await eventually(async () => {
    const timelines = await Promise.all(orderIds.map((id) => getOrderTimeline(id, projector.db)));
    const n = timelines.reduce((sum, t) => sum + t.length, 0);
    return n > 0 ? n : undefined;
  }, 'the orders on the timeline');
  const projectorAfter = await eventually(async () => {
    const page = await scrape(ops.projector.url);
    const handled = ['applied', 'duplicate'].reduce(
      (sum, outcome) =>
        sum +
        delta(before.projector, page, 'dtx_consumer_events_total', {
          consumer: 'timeline-projector',
          outcome,
        }),
      0,
    );
    return handled >= events ? page : undefined;
  }, `${events} events handled by the projector`);
  expect(projectorAfter.has('dtx_consumer_lag_messages')).toBe(true);

  // relay: a lag gauge per outbox database
  const relayPage = await scrape(ops.relay.url);
  const databases = relayPage
    .matching('dtx_relay_pending_rows')
    .map((s) => s.labels.database)
    .sort();
  expect(databases).toEqual(SERVICE_NAMES.map((s) => `test_dtx_${s}`).sort());
  for (const name of [
    'dtx_relay_dead_rows',
    'dtx_relay_blocked_rows',
    'dtx_relay_oldest_pending_age_seconds',
  ])
    expect(relayPage.matching(name).length).toBe(4);

  // the families each scrape has (for the dashboard and the docs: only metrics proven here)
  const names = familyNames(
    [worker.text, apiAfter.text, services.text, projectorAfter.text, relayPage.text].join('\n'),
  ).filter((n) => n.startsWith('dtx_'));
  expect(names).toEqual(expect.arrayContaining(Object.keys(DTX_METRICS)));
}, 180_000);
