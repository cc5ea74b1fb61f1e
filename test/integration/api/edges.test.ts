/* eslint-disable @typescript-eslint/no-unsafe-call -- answers are parsed JSON, asserted field by field */
/**
 * Edges of the API against the real Temporal (issue 11 §6):
 * - cancel and retry act only on dtx's workflow types: any other workflow of the namespace (even one with an
 *   `order-` id) is 404 and left alone, through the HTTP API and through `dtx tx` (the same operations);
 * - an answer about a dependency that does not answer names the component and what to do, never its address or the
 *   driver's text (`connect ECONNREFUSED 127.0.0.1:…`).
 * No services or worker run here: only Temporal (and PostgreSQL for the parts that must answer).
 */
import * as net from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { temporal as temporalProto } from '@temporalio/proto';
import { loadConfig, type Config } from '../../../common/config';
import { temporalConnectionOptions } from '../../../common/temporal';
import { createDependencies, type Wiring } from '../../../api/operations/wiring';
import { startApi, type RunningApi } from './support/http';
import { uid } from './support/system';
import { runDtx } from '../cli/support/run-dtx';

const config = loadConfig();
let connection: Connection;
let temporal: Client;
const opened: { api: RunningApi; deps: Wiring }[] = [];

async function apiWith(changed: Partial<Config> = {}): Promise<RunningApi> {
  const deps = createDependencies({ ...config, ...changed });
  const api = await startApi({ deps });
  opened.push({ api, deps });
  return api;
}

/** A port nothing listens on (bound once by us, then released). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  connection = await Connection.connect(temporalConnectionOptions(config));
  temporal = new Client({ connection, namespace: config.temporal.namespace });
});

afterAll(async () => {
  for (const { api, deps } of opened) {
    await api.close();
    await deps.close();
  }
  await connection?.close();
});

describe('cancel and retry touch only dtx transactions', () => {
  const EVENT_TYPE = temporalProto.api.enums.v1.EventType;
  const started: string[] = [];

  /** Another application's workflow in the same namespace, on a task queue nobody polls (so it just waits). */
  async function foreignWorkflow(workflowId: string) {
    const handle = await temporal.workflow.start('someoneElsesWorkflow', {
      workflowId,
      taskQueue: `nobody-polls-${uid('q')}`,
      args: [{ invoice: 42 }],
    });
    started.push(workflowId);
    return handle;
  }

  /** Still running, and nobody asked it to cancel or reset it. */
  async function expectUntouched(workflowId: string, runId: string) {
    const description = await temporal.workflow.getHandle(workflowId).describe();
    expect(description.runId).toBe(runId);
    expect(description.status.name).toBe('RUNNING');
    const history = await temporal.workflow.getHandle(workflowId, runId).fetchHistory();
    const types = (history.events ?? []).map((event) => event.eventType);
    expect(types).not.toContain(EVENT_TYPE.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED);
  }

  afterAll(async () => {
    for (const workflowId of started)
      await temporal.workflow
        .getHandle(workflowId)
        .terminate('test cleanup')
        .catch(() => undefined);
  });

  test.each([
    ['a foreign id', () => `billing-${uid('wf')}`],
    ['an order- id', () => `order-foreign-${uid('wf')}`],
  ])(
    'HTTP: cancel and retry of a foreign workflow with %s are 404 "not a dtx transaction"; it keeps running',
    async (_name, idOf) => {
      const api = await apiWith();
      const workflowId = idOf();
      const handle = await foreignWorkflow(workflowId);
      for (const action of ['cancel', 'retry']) {
        const response = await api.request('POST', `/v1/transactions/${workflowId}/${action}`);
        expect({ action, status: response.status, body: response.body }).toEqual({
          action,
          status: 404,
          body: { error: { code: 'NOT_FOUND', message: `"${workflowId}" is not a dtx transaction` } },
        });
      }
      await expectUntouched(workflowId, handle.firstExecutionRunId);
    },
  );

  test('HTTP: retry of a terminated foreign workflow is 404 and starts no new run', async () => {
    const api = await apiWith();
    const workflowId = `order-foreign-${uid('wf')}`;
    const handle = await foreignWorkflow(workflowId);
    await handle.terminate('ended by its owner');
    const response = await api.request('POST', `/v1/transactions/${workflowId}/retry`);
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('NOT_FOUND');
    const description = await temporal.workflow.getHandle(workflowId).describe();
    expect({ runId: description.runId, status: description.status.name }).toEqual({
      runId: handle.firstExecutionRunId,
      status: 'TERMINATED',
    });
  });

  test('dtx tx cancel|retry of a foreign workflow exit 3 (not found) and leave it running', async () => {
    const workflowId = `order-foreign-${uid('wf')}`;
    const handle = await foreignWorkflow(workflowId);
    for (const action of ['cancel', 'retry']) {
      const run = await dtx(['tx', action, workflowId, '--json']);
      expect({ action, code: run.code, json: run.json }).toEqual({
        action,
        code: 3,
        json: { error: { code: 'NOT_FOUND', message: `"${workflowId}" is not a dtx transaction` } },
      });
    }
    await expectUntouched(workflowId, handle.firstExecutionRunId);
  });
});

/** Runs the real bin (quiet logs). */
const dtx = (args: string[]) => runDtx(args, { ...process.env, LOG_LEVEL: 'error' });

describe('an answer about a dependency that does not answer names it, not its address', () => {
  /** No loopback address, no port, no driver wording in the whole answer. */
  function expectNoInternals(body: unknown, port: number) {
    const text = JSON.stringify(body);
    for (const internal of [
      '127.0.0.1',
      'localhost',
      'ECONNREFUSED',
      'connect ',
      String(port),
      'No connection',
    ])
      expect(text).not.toContain(internal);
  }

  test('the order service down: GET /v1/orders/:id is 503 naming the order service and `npm start`', async () => {
    const port = await closedPort();
    const api = await apiWith({
      serviceAddresses: { ...config.serviceAddresses, order: `127.0.0.1:${port}` },
    });
    const response = await api.request('GET', `/v1/orders/${uid('nobody')}`);
    expect(response.status).toBe(503);
    expect(response.body.error.code).toBe('UNAVAILABLE');
    expect(response.body.error.message).toContain(
      'the order service is not answering; is `npm start` running?',
    );
    expectNoInternals(response.body, port);
  });

  test('Temporal down: cancel is 503 naming Temporal', async () => {
    const port = await closedPort();
    const api = await apiWith({ temporal: { ...config.temporal, address: `127.0.0.1:${port}` } });
    const response = await api.request('POST', `/v1/transactions/order-${uid('x')}/cancel`);
    expect(response.status).toBe(503);
    expect(response.body).toEqual({
      error: {
        code: 'UNAVAILABLE',
        message: 'Temporal is not answering; is the local stack up (`npm run stack -- status`)?',
      },
    });
  });

  test('an outbox database down: GET /v1/outbox says so for that database, without its address', async () => {
    const port = await closedPort();
    const url = `postgres://postgres@127.0.0.1:${port}/dtx_unreachable`;
    const api = await apiWith({
      relay: { ...config.relay, databaseUrls: [...config.relay.databaseUrls, url] },
    });
    const response = await api.request('GET', '/v1/outbox');
    expect(response.status).toBe(200);
    const broken = response.body.outboxes.filter((lag: { error?: string }) => lag.error !== undefined);
    expect(broken.map((lag: { database: string; error: string }) => [lag.database, lag.error])).toEqual([
      ['dtx_unreachable', 'not answering; is the local stack up (`npm run stack -- status`)?'],
    ]);
    expectNoInternals(response.body, port);
  });

  test('/readyz with the payment database down names it, without its address', async () => {
    const port = await closedPort();
    const api = await apiWith({
      databases: { ...config.databases, payment: `postgres://postgres@127.0.0.1:${port}/dtx_payment` },
    });
    const response = await api.request('GET', '/readyz');
    expect(response.status).toBe(503);
    expect(response.body.error.code).toBe('UNAVAILABLE');
    const payment = response.body.checks.filter((check: { name: string }) => check.name === 'db:payment');
    expect(payment.map((check: { ok: boolean; error: string }) => [check.ok, check.error])).toEqual([
      [false, 'the payment database is not answering; is the local stack up (`npm run stack -- status`)?'],
    ]);
    expectNoInternals(response.body, port);
  });
});
