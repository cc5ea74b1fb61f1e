/**
 * Tracing end to end with the real processes and the real trace viewer: an order placed over HTTP is ONE trace in
 * Zipkin (stack component `zipkin`, started here) that holds the API's span, the workflow's, every activity's (local
 * and remote), every gRPC server call's, the services' SQL, the relay's produce and the projector's consume; the outbox
 * row and the Kafka message name that trace. A headless Chromium shows it in Zipkin's UI (screenshot under
 * test/artifacts/, git-ignored). Then the bad cases: an unreachable collector fails nothing and is logged once; with no
 * OTEL_* set nothing is exported.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import type { Config } from '../../../common/config';
import { createDb } from '../../../common/db';
import { createKafka } from '../../../common/kafka';
import { temporalConnectionOptions } from '../../../common/temporal';
import { traceIdOf } from '../../../common/telemetry';
import { topicFor } from '../../../outbox/topics';
import { call, createServiceClients, type ServiceClients } from '../../../services/rpc/clients';
import { grpcServing } from '../../../start/probes';
import { silentReporter, stackUp, zipkinSpansEndpoint, zipkinUrl } from '../../../stack';
import { workflowIdFor } from '../../../workflows/names';
import { eventually, uid } from '../api/support/system';
import { ARTIFACTS_DIR, launchChromium } from '../ui/support/browser';
import {
  configOf,
  logMessages,
  partsEnv,
  prepareNames,
  startPart,
  stopPart,
  waitForLog,
  type PartName,
  type RunningPart,
} from './support/parts';

jest.setTimeout(600_000);

/** A span as Zipkin's API v2 returns it (names and service names lower-cased by Zipkin). */
interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId?: string;
  kind?: 'CLIENT' | 'SERVER' | 'PRODUCER' | 'CONSUMER';
  name?: string;
  localEndpoint?: { serviceName?: string };
  tags?: Record<string, string>;
}

/** The services log each answered call ("call done") at debug: these tests read those lines. */
const withCallLogs = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({ ...env, LOG_LEVEL: 'debug' });

const serviceOf = (span: ZipkinSpan) => span.localEndpoint?.serviceName ?? '';

async function waitServing(config: Config): Promise<void> {
  await eventually(
    async () =>
      (await Promise.all(Object.values(config.serviceAddresses).map((a) => grpcServing(a)))).every(Boolean) ||
      undefined,
    'the services SERVING',
    120_000,
  );
}

async function seed(clients: ServiceClients, sku: string, customerId: string): Promise<void> {
  await call(clients.inventory, 'upsertProduct', { sku, name: `trace test ${sku}`, unitPrice: 1_000 });
  await call(clients.inventory, 'setStock', { sku, available: 10 });
  await call(clients.payment, 'credit', {
    branch: { txId: `seed-${customerId}`, branchId: 'credit' },
    customerId,
    amount: 100_000,
  });
}

describe('an order is one trace in Zipkin', () => {
  const parts: RunningPart[] = [];
  let env: NodeJS.ProcessEnv;
  let config: Config;
  let clients: ServiceClients | undefined;

  beforeAll(async () => {
    // the viewer, from the stack library (fetched once into $DTX_CACHE like the Kafka jars)
    const base = configOf({ ...process.env });
    await stackUp({ config: base, components: ['zipkin'], out: silentReporter });
    env = await partsEnv({
      OTEL_TRACES_EXPORTER: 'zipkin',
      OTEL_EXPORTER_ZIPKIN_ENDPOINT: zipkinSpansEndpoint(base),
      OTEL_BSP_SCHEDULE_DELAY: '200',
    });
    config = configOf(env);
    await prepareNames(config);
    const start = (name: PartName) => {
      const part = startPart(name, name === 'services' ? withCallLogs(env) : env, `trace-${name}`);
      parts.push(part);
      return part;
    };
    start('services');
    await waitServing(config);
    const worker = start('worker');
    const relay = start('relay');
    const projector = start('projector');
    start('api');
    await waitForLog(worker, /"msg":"orchestrator worker started"/);
    await waitForLog(relay, /"msg":"outbox relay starting"/);
    await waitForLog(projector, /"msg":"timeline projector started"/);
    await eventually(
      async () =>
        (await fetch(`http://127.0.0.1:${config.api.port}/readyz`)).status === 200 ? true : undefined,
      'the API ready',
      120_000,
    );
    clients = createServiceClients(config.serviceAddresses);
  });

  afterAll(async () => {
    clients?.close();
    // the API first, the services last (as npm start stops them)
    for (const part of [...parts].reverse()) await stopPart(part);
  });

  test('API, workflow, activities, gRPC servers, SQL, relay produce and projector consume share one trace id', async () => {
    const sku = uid('TRACE-SKU');
    const customerId = uid('trace-cust');
    await seed(clients!, sku, customerId);

    const response = await fetch(`http://127.0.0.1:${config.api.port}/v1/orders?wait=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': uid('trace-key') },
      body: JSON.stringify({ customerId, items: [{ sku, quantity: 2 }], mode: 'saga' }),
    });
    expect(response.status).toBe(200);
    const placed = (await response.json()) as { orderId: string; status: string };
    expect(placed.status).toBe('COMPLETED');

    // the trace the workflow was started in: the client interceptor's header on its first event
    const connection = await Connection.connect(temporalConnectionOptions(config));
    const temporal = new Client({ connection, namespace: config.temporal.namespace });
    let traceId: string;
    let activityTypes: Set<string>;
    try {
      const history = await temporal.workflow.getHandle(workflowIdFor(placed.orderId)).fetchHistory();
      const header =
        history.events?.[0]?.workflowExecutionStartedEventAttributes?.header?.fields?.['_tracer-data'];
      const carrier = JSON.parse(Buffer.from(header!.data!).toString('utf8')) as { traceparent: string };
      traceId = traceIdOf(carrier.traceparent)!;
      // every activity the workflow ran: remote ones scheduled, local ones recorded as markers
      activityTypes = new Set<string>();
      for (const event of history.events ?? []) {
        const scheduled = event.activityTaskScheduledEventAttributes?.activityType?.name;
        if (scheduled) activityTypes.add(scheduled);
        for (const payload of event.markerRecordedEventAttributes?.details?.data?.payloads ?? []) {
          const marker = JSON.parse(Buffer.from(payload.data!).toString('utf8')) as {
            activity_type?: string;
          };
          if (marker.activity_type) activityTypes.add(marker.activity_type);
        }
      }
    } finally {
      await connection.close();
    }
    expect(traceId).toMatch(/^[\da-f]{32}$/);
    expect(activityTypes.size).toBeGreaterThanOrEqual(3);

    // the outbox row of the order stores that trace (database truth)
    const orderDb = createDb('order', { url: config.databases.order, poolMax: 1 });
    try {
      const rows = await orderDb('outbox')
        .where({ aggregate_id: placed.orderId })
        .select<{ headers: Record<string, string> }[]>('headers');
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(traceIdOf(row.headers.traceparent)).toBe(traceId);
    } finally {
      await orderDb.destroy();
    }

    // ... and so does the Kafka message the relay produced from it
    const kafka = createKafka({ config, clientSuffix: 'trace-test' });
    const consumer = kafka.consumer({ groupId: uid('trace-test-reader') });
    const headers: string[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: topicFor('order', config.kafka.namePrefix), fromBeginning: true });
      await consumer.run({
        eachMessage: ({ message }) => {
          if (message.key?.toString() === placed.orderId)
            headers.push(message.headers?.traceparent?.toString() ?? '');
          return Promise.resolve();
        },
      });
      await eventually(
        () => Promise.resolve(headers.length > 0 ? true : undefined),
        'the order event on Kafka',
        60_000,
      );
    } finally {
      await consumer.disconnect();
    }
    for (const header of headers) expect(traceIdOf(header)).toBe(traceId);

    // Zipkin's API: wait until the projector's consume has arrived (the last hop), then read the whole trace
    const zipkin = zipkinUrl(config);
    const spans = await eventually(
      async () => {
        const answer = await fetch(`${zipkin}/api/v2/trace/${traceId}`);
        if (answer.status !== 200) return undefined;
        const found = (await answer.json()) as ZipkinSpan[];
        return found.some((s) => serviceOf(s) === 'dtx-projector' && s.kind === 'CONSUMER')
          ? found
          : undefined;
      },
      'the trace in Zipkin with the projector span',
      90_000,
    );
    fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
    fs.writeFileSync(path.join(ARTIFACTS_DIR, 'zipkin-trace.json'), JSON.stringify(spans, null, 2));
    const names = (service: string) => spans.filter((s) => serviceOf(s) === service).map((s) => s.name ?? '');
    expect(spans.every((s) => s.traceId === traceId)).toBe(true);

    // the API: the HTTP request (@fastify/otel) and its workflow start (the Temporal client interceptor)
    expect(names('dtx-api')).toEqual(expect.arrayContaining(['startworkflow:placeordersaga']));
    expect(spans.some((s) => serviceOf(s) === 'dtx-api' && s.kind === 'SERVER')).toBe(true);
    // the workflow, and each activity: scheduled by the workflow (local ones too) and run by the worker
    expect(names('dtx-worker')).toEqual(expect.arrayContaining(['runworkflow:placeordersaga']));
    for (const type of activityTypes) {
      expect(names('dtx-worker')).toEqual(
        expect.arrayContaining([`startactivity:${type.toLowerCase()}`, `runactivity:${type.toLowerCase()}`]),
      );
    }
    // every gRPC call an activity made has its server span in the services, as its child
    const grpcClients = spans.filter(
      (s) => serviceOf(s) === 'dtx-worker' && s.kind === 'CLIENT' && (s.name ?? '').startsWith('grpc.dtx.'),
    );
    expect(grpcClients.length).toBeGreaterThanOrEqual(activityTypes.size);
    for (const client of grpcClients) {
      expect(spans).toContainEqual(
        expect.objectContaining({ parentId: client.id, kind: 'SERVER', name: client.name }),
      );
    }
    // the SQL of the services, inside their calls
    expect(
      spans.some(
        (s) =>
          serviceOf(s) === 'dtx-services' &&
          (s.tags?.['db.system'] ?? s.tags?.['db.system.name']) === 'postgresql',
      ),
    ).toBe(true);
    // the relay's produce, a child of the span that wrote the row, and the projector's consume, a child of it
    const produce = spans.filter((s) => serviceOf(s) === 'dtx-relay' && s.kind === 'PRODUCER');
    expect(produce.map((s) => s.name)).toContain(`send ${topicFor('order', config.kafka.namePrefix)}`);
    const consume = spans.filter((s) => serviceOf(s) === 'dtx-projector' && s.kind === 'CONSUMER');
    expect(consume.some((c) => produce.some((p) => p.id === c.parentId))).toBe(true);
    for (const header of headers) expect(produce.map((p) => p.id)).toContain(header.split('-')[2]);
    // the projector's SQL continues the trace too
    expect(spans.some((s) => serviceOf(s) === 'dtx-projector' && s.kind === 'CLIENT')).toBe(true);

    // log lines carry the trace (pino instrumentation)
    const services = parts.find((p) => p.name === 'services')!;
    expect(
      logMessages(services, /call done/).some(
        (line) => line.trace_id === traceId && typeof line.span_id === 'string',
      ),
    ).toBe(true);

    // a person's view: Zipkin's trace page in headless Chromium shows the spans
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      await page.goto(`${zipkin}/zipkin/traces/${traceId}`, { waitUntil: 'networkidle', timeout: 60_000 });
      await page.getByText('runworkflow:placeordersaga').first().waitFor({ timeout: 30_000 });
      const text = (await page.locator('body').innerText()).toLowerCase();
      // the header counts what the trace holds: the five parts and every span the API returned
      expect(text).toContain(traceId);
      expect(text).toMatch(/services\s+5\b/);
      expect(text).toMatch(new RegExp(`total spans\\s+${spans.length}\\b`));
      // the span list (virtualised: the first rows) starts with the API's request and the workflow under it
      expect(text).toContain('dtx-api: request');
      expect(text).toContain('dtx-worker: runworkflow:placeordersaga');
      await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'zipkin-trace.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });
});

/** A throwaway HTTP server standing in for a collector: counts what it is sent. */
async function countingCollector(): Promise<{ url: string; requests: () => number; close(): Promise<void> }> {
  let count = 0;
  const server = http.createServer((request, response) => {
    count += 1;
    request.resume();
    response.writeHead(202).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/api/v2/spans`,
    requests: () => count,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Calls that write outbox rows (top-ups of `customerId`): each must succeed; returns their latencies. */
async function topUps(config: Config, count: number, customerId = uid('trace-bad')): Promise<number[]> {
  const clients = createServiceClients(config.serviceAddresses);
  const latencies: number[] = [];
  try {
    for (let i = 0; i < count; i += 1) {
      const started = performance.now();
      await call(clients.payment, 'credit', {
        branch: { txId: uid('trace-bad-tx'), branchId: 'credit' },
        customerId,
        amount: 1,
      });
      latencies.push(performance.now() - started);
    }
  } finally {
    clients.close();
  }
  return latencies;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

describe('bad cases (the services process alone)', () => {
  test('an unreachable collector fails nothing, adds no latency, and is logged once', async () => {
    // a collector's port, closed: nothing listens there (connection refused)
    const collector = await countingCollector();
    await collector.close();
    const env = await partsEnv({
      OTEL_TRACES_EXPORTER: 'zipkin',
      OTEL_EXPORTER_ZIPKIN_ENDPOINT: collector.url,
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    const config = configOf(env);
    await prepareNames(config);
    const services = startPart('services', env, 'unreachable-services');
    try {
      await waitServing(config);
      const first = await topUps(config, 30);
      // several export rounds fail meanwhile
      await sleep(1_500);
      const second = await topUps(config, 30);
      await sleep(1_000);
      // the calls' spans were made (the export is what fails) and the calls took no longer for it
      expect(median(second)).toBeLessThan(Math.max(50, median(first) * 3));
      const warnings = logMessages(services, /trace export failed/);
      expect(warnings).toHaveLength(1);
      expect(JSON.stringify(warnings[0])).toMatch(/ECONNREFUSED|connect|fetch failed|socket/i);
    } finally {
      await stopPart(services);
    }
  });

  test('no OTEL_* exporter: nothing is exported, no trace context in the outbox, calls work', async () => {
    const collector = await countingCollector();
    // an endpoint alone names no exporter (OTEL_TRACES_EXPORTER unset, no OTLP endpoint): the SDK stays off
    const env = await partsEnv({
      OTEL_EXPORTER_ZIPKIN_ENDPOINT: collector.url,
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    const config = configOf(env);
    await prepareNames(config);
    const services = startPart('services', withCallLogs(env), 'untraced-services');
    try {
      await waitServing(config);
      const customerId = uid('untraced');
      await topUps(config, 5, customerId);
      await sleep(1_000);
      expect(collector.requests()).toBe(0);
      const db = createDb('payment', { url: config.databases.payment, poolMax: 1 });
      try {
        const rows = await db('outbox')
          .where({ aggregate_id: customerId })
          .select<{ headers: Record<string, string> }[]>('headers');
        expect(rows.length).toBe(5);
        for (const row of rows) expect(row.headers.traceparent).toBeUndefined();
      } finally {
        await db.destroy();
      }
      const callLines = logMessages(services, /call done/);
      expect(callLines.length).toBeGreaterThan(0);
      expect(callLines.every((line) => line.trace_id === undefined)).toBe(true);
    } finally {
      await stopPart(services);
      await collector.close();
    }
  });
});
