/**
 * common/ops-server.ts on real sockets: /healthz, /readyz (200, 503 with each failing check, a hanging check bounded),
 * /metrics (the default registry plus a part's extra text), a busy port named with its variable, port 0 = none.
 */
import * as net from 'node:net';
import { Counter } from 'prom-client';
import { loadConfig } from '../../../common/config';
import {
  OpsPortInUseError,
  runChecks,
  startOpsServer,
  startPartOpsServer,
  type OpsServer,
} from '../../../common/ops-server';

const counter = new Counter({
  name: 'dtx_test_ops_things_total',
  help: 'test',
  labelNames: ['kind'] as const,
});

const servers: OpsServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function start(checks: Parameters<typeof startOpsServer>[0]['checks'], extra?: () => Promise<string>) {
  const server = await startOpsServer({
    part: 'test',
    host: '127.0.0.1',
    port: 0,
    portVariable: 'DTX_TEST_OPS_PORT',
    checks,
    extraMetrics: extra,
    checkTimeoutMs: 300,
  });
  servers.push(server);
  return server;
}

test('/healthz answers 200 whatever the checks say', async () => {
  const server = await start({ down: () => Promise.resolve(false) });
  const response = await fetch(`${server.url}/healthz`);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ status: 'ok' });
});

test('/readyz is 200 when every check passes and 503 naming the failing ones with their errors', async () => {
  const ready = await start({ a: () => Promise.resolve(true), b: () => Promise.resolve() });
  const ok = await fetch(`${ready.url}/readyz`);
  expect(ok.status).toBe(200);
  expect(await ok.json()).toEqual({
    status: 'ready',
    ready: true,
    checks: [
      { name: 'a', ok: true },
      { name: 'b', ok: true },
    ],
  });

  const notReady = await start({
    db: () => Promise.resolve(true),
    kafka: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:9')),
    consumer: () => Promise.resolve(false),
  });
  const failing = await fetch(`${notReady.url}/readyz`);
  expect(failing.status).toBe(503);
  expect(await failing.json()).toEqual({
    status: 'not ready',
    ready: false,
    checks: [
      { name: 'db', ok: true },
      { name: 'kafka', ok: false, error: 'connect ECONNREFUSED 127.0.0.1:9' },
      { name: 'consumer', ok: false, error: 'not ready' },
    ],
  });
});

test('a check that never answers fails after the timeout instead of hanging the probe', async () => {
  const started = Date.now();
  const result = await runChecks({ hang: () => new Promise<boolean>(() => undefined) }, 200);
  expect(Date.now() - started).toBeLessThan(1_000);
  expect(result).toEqual({
    ready: false,
    checks: [{ name: 'hang', ok: false, error: 'no answer within 200 ms' }],
  });
});

test("/metrics serves the default registry's text plus the part's extra text", async () => {
  counter.inc({ kind: 'x' }, 3);
  const server = await start({}, () =>
    Promise.resolve('# TYPE temporal_extra_total counter\ntemporal_extra_total 7\n'),
  );
  const response = await fetch(`${server.url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  const text = await response.text();
  expect(text).toContain('dtx_test_ops_things_total{kind="x"} 3');
  expect(text).toContain('\ntemporal_extra_total 7\n');
  // prom-client's process metrics come along
  expect(text).toMatch(/^process_cpu_user_seconds_total /m);
});

test('an unknown path is 404 and a POST 405', async () => {
  const server = await start({});
  expect((await fetch(`${server.url}/nope`)).status).toBe(404);
  expect((await fetch(`${server.url}/metrics`, { method: 'POST' })).status).toBe(405);
});

test('a port already taken fails the start naming the port and the variable that moves it', async () => {
  const holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const port = (holder.address() as net.AddressInfo).port;
  try {
    const config = loadConfig({ DTX_RELAY_OPS_PORT: String(port) });
    const error = await startPartOpsServer(config, 'relay', { checks: {} }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(OpsPortInUseError);
    expect((error as Error).message).toBe(
      `the relay ops port 127.0.0.1:${port} (metrics, health) is already in use: stop what holds it, or move it ` +
        'with DTX_RELAY_OPS_PORT=<another port> (0: no ops server)',
    );
  } finally {
    await new Promise((resolve) => holder.close(resolve));
  }
});

test('port 0 in the config means no ops server for that part', async () => {
  const config = loadConfig({ DTX_WORKER_OPS_PORT: '0' });
  expect(await startPartOpsServer(config, 'worker', { checks: {} })).toBeUndefined();
});

test('the config has a documented default port per part and rejects a bad one with its name', () => {
  expect(loadConfig({}).ops).toEqual({
    host: '127.0.0.1',
    ports: { services: 9431, worker: 9432, relay: 9433, projector: 9434 },
  });
  expect(() => loadConfig({ DTX_PROJECTOR_OPS_PORT: '70000' })).toThrow(
    'DTX_PROJECTOR_OPS_PORT: must be between 0 and 65535, got 70000',
  );
});
