/**
 * The server bootstrap: fault injection modes, server-side deadline, health, graceful drain, logs with tx_id,
 * error mapping of unexpected errors, migrations run concurrently, barrier cleanup.
 */
import { Writable } from 'node:stream';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import pino from 'pino';
import { loadConfig } from '../../../common/config';
import { createDb } from '../../../common/db';
import { cleanupBarrier } from '../../../services/barrier';
import { migrateDatabase } from '../../../common/migrate';
import { call, createServiceClients } from '../../../services/rpc/clients';
import { startGrpcServer, type UnaryImpl } from '../../../services/rpc/server';
import { startService, type RunningService } from '../../../services/runtime';
import { barrierOf, branch, failure, outboxOfTx, silentLogger, uid } from './harness';

const started: RunningService[] = [];
const closers: (() => void)[] = [];
afterAll(async () => {
  closers.forEach((close) => close());
  await Promise.all(started.map((s) => s.stop(2000)));
});

async function serve(
  service: 'inventory' | 'payment',
  faults: string | undefined,
  extra: Parameters<typeof startService>[1] = {},
): Promise<RunningService> {
  const running = await startService(service, {
    address: '127.0.0.1:0',
    faults,
    logger: silentLogger,
    ...extra,
  });
  started.push(running);
  return running;
}

function clientsFor(address: string) {
  const clients = createServiceClients({
    order: address,
    inventory: address,
    coupon: address,
    payment: address,
  });
  closers.push(() => clients.close());
  return clients;
}

async function fundedCustomer(address: string): Promise<string> {
  const customerId = uid('cust');
  await call(clientsFor(address).payment, 'credit', {
    branch: branch(uid('topup'), 'credit'),
    customerId,
    amount: 10_000,
  });
  return customerId;
}

async function balance(s: RunningService, customerId: string): Promise<number> {
  return Number((await s.db('wallets').where({ customer_id: customerId }).first()).balance);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A pino logger that keeps its JSON lines in memory. */
function capturingLogger(): { logger: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

/** Waits (up to 4 s, under the default jest timeout) until a log line matches: the server got that far, whatever the machine's load. */
async function logged(
  lines: Record<string, unknown>[],
  match: (line: Record<string, unknown>) => boolean,
): Promise<void> {
  for (let waited = 0; waited < 4_000; waited += 20) {
    if (lines.some(match)) return;
    await sleep(20);
  }
  throw new Error('expected log line did not appear');
}

describe('fault injection', () => {
  test('<code>:1 fails the named method with that code before anything runs; other methods are unaffected', async () => {
    const clean = await serve('payment', '');
    const faulty = await serve(
      'payment',
      'payment.Charge=unavailable:1,payment.TryFreeze=resource_exhausted:1',
    );
    const customerId = await fundedCustomer(clean.address);
    const client = clientsFor(faulty.address).payment;
    const tx = uid('order');
    expect(
      await failure(
        call(client, 'charge', { branch: branch(tx, 'payment'), customerId, orderId: 'o', amount: 100 }),
      ),
    ).toMatchObject({
      codeName: 'UNAVAILABLE',
      transient: true,
    });
    expect(
      await failure(
        call(client, 'tryFreeze', { branch: branch(tx, 'p2'), customerId, orderId: 'o', amount: 100 }),
      ),
    ).toMatchObject({
      codeName: 'RESOURCE_EXHAUSTED',
      transient: true,
    });
    expect(await barrierOf(faulty.db, tx)).toEqual([]);
    expect(await balance(faulty, customerId)).toBe(10_000);
    expect((await call(client, 'getWallet', { customerId })).balance).toBe(10_000);
  });

  test('rate 0 never fires', async () => {
    const s = await serve('payment', 'payment.GetWallet=unavailable:0');
    const customerId = await fundedCustomer(s.address);
    for (let i = 0; i < 5; i++)
      expect((await call(clientsFor(s.address).payment, 'getWallet', { customerId })).balance).toBe(10_000);
  });

  test('a fractional rate fires on some calls, not all (200 calls at 0.5)', async () => {
    const s = await serve('payment', 'payment.GetWallet=internal:0.5');
    const customerId = await fundedCustomer(s.address);
    const client = clientsFor(s.address).payment;
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, () => call(client, 'getWallet', { customerId })),
    );
    const failed = results.filter((r) => r.status === 'rejected').length;
    expect(failed).toBeGreaterThan(0);
    expect(failed).toBeLessThan(200);
  });

  test('delay:<ms> past the caller deadline: the server does not start the transaction (deadline respected)', async () => {
    const clean = await serve('payment', '');
    const { logger, lines } = capturingLogger();
    const slow = await serve('payment', 'payment.Charge=delay:400', { logger });
    const customerId = await fundedCustomer(clean.address);
    const tx = uid('order');
    const err = await failure(
      call(
        clientsFor(slow.address).payment,
        'charge',
        { branch: branch(tx, 'payment'), customerId, orderId: 'o', amount: 100 },
        { deadlineMs: 150 },
      ),
    );
    expect(err).toMatchObject({ codeName: 'DEADLINE_EXCEEDED', transient: true });
    // the delayed handler reached its deadline check and stopped there
    await logged(lines, (l) => l.tx_id === tx && l.code === 'DEADLINE_EXCEEDED');
    expect(await barrierOf(slow.db, tx)).toEqual([]);
    expect(await balance(slow, customerId)).toBe(10_000);
    // within the deadline the delayed call goes through
    const ok = await call(
      clientsFor(slow.address).payment,
      'charge',
      { branch: branch(tx, 'payment'), customerId, orderId: 'o', amount: 100 },
      { deadlineMs: 5000 },
    );
    expect(ok.outcome).toBe('APPLIED');
    expect(await balance(slow, customerId)).toBe(9_900);
  });

  test('lose-response:1 commits, then the caller sees DEADLINE_EXCEEDED; the retry meets the barrier (DUPLICATE)', async () => {
    const clean = await serve('payment', '');
    const { logger, lines } = capturingLogger();
    const lossy = await serve('payment', 'payment.Charge=lose-response:1', { logger });
    const customerId = await fundedCustomer(clean.address);
    const tx = uid('order');
    const request = { branch: branch(tx, 'payment'), customerId, orderId: 'o', amount: 700 };
    expect(
      await failure(call(clientsFor(lossy.address).payment, 'charge', request, { deadlineMs: 300 })),
    ).toMatchObject({ codeName: 'DEADLINE_EXCEEDED', transient: true });
    await logged(lines, (l) => l.tx_id === tx && l.fault === 'lose-response');
    // the change happened although the caller timed out
    expect(await balance(lossy, customerId)).toBe(9_300);
    expect((await outboxOfTx(lossy.db, tx)).map((e) => e.event_type)).toEqual(['PaymentCharged']);
    // without a deadline the lost response is UNAVAILABLE at once (second branch, charged as well)
    const tx2 = uid('order');
    expect(
      await failure(
        call(clientsFor(lossy.address).payment, 'charge', { ...request, branch: branch(tx2, 'payment') }),
      ),
    ).toMatchObject({ codeName: 'UNAVAILABLE' });
    expect(await balance(lossy, customerId)).toBe(8_600);
    const retry = await call(clientsFor(clean.address).payment, 'charge', request);
    expect(retry).toMatchObject({ outcome: 'DUPLICATE', wallet: { balance: 8_600 } });
    expect(await balance(clean, customerId)).toBe(8_600);
  });

  test('the default spec comes from DTX_FAULTS (config); `service.*` targets every method', async () => {
    const config = loadConfig({ ...process.env, DTX_FAULTS: 'inventory.*=aborted:1' });
    const s = await serve('inventory', undefined, { config });
    expect(await failure(call(clientsFor(s.address).inventory, 'getStock', { skus: ['x'] }))).toMatchObject({
      codeName: 'ABORTED',
    });
    expect(
      await failure(call(clientsFor(s.address).inventory, 'quote', { items: [{ sku: 'x', quantity: 1 }] })),
    ).toMatchObject({ codeName: 'ABORTED' });
  });

  test.each([
    ['payment.NoSuchMethod=unavailable:1', 'no method'],
    ['payment.Charge=explode:1', 'unknown fault'],
    ['payment.Charge=unavailable:2', 'rate'],
    ['payment.Charge=unavailable', 'missing rate'],
    ['billing.Charge=unavailable:1', 'service one of'],
    ['payment.Charge', 'expected'],
    ['payment.Charge=delay:abc', 'delay needs'],
  ])('invalid spec %s is rejected at start, naming DTX_FAULTS', async (spec, why) => {
    await expect(
      startService('payment', { address: '127.0.0.1:0', faults: spec, logger: silentLogger }),
    ).rejects.toThrow(
      expect.objectContaining({
        variable: 'DTX_FAULTS',
        message: expect.stringContaining(why) as string,
      }) as Error,
    );
  });
});

describe('health', () => {
  const healthDefinition = grpc.loadPackageDefinition(
    protoLoader.loadSync(healthProtoPath, { keepCase: true, defaults: true, enums: String }),
  ) as unknown as {
    grpc: {
      health: { v1: { Health: new (address: string, creds: grpc.ChannelCredentials) => grpc.Client } };
    };
  };
  function check(address: string, service: string): Promise<string> {
    const client = new healthDefinition.grpc.health.v1.Health(address, grpc.credentials.createInsecure());
    closers.push(() => client.close());
    return new Promise((resolve, reject) => {
      (
        client as unknown as {
          Check: (r: object, cb: (e: Error | null, res: { status: string }) => void) => void;
        }
      ).Check({ service }, (err, res) => (err ? reject(err) : resolve(res.status)));
    });
  }

  test('SERVING (overall and per service) while the database answers', async () => {
    const { logger, lines } = capturingLogger();
    const s = await serve('inventory', '', { healthIntervalMs: 200, logger });
    await logged(lines, (l) => l.health === 'SERVING');
    expect(await check(s.address, '')).toBe('SERVING');
    expect(await check(s.address, 'dtx.v1.InventoryService')).toBe('SERVING');
  });

  test('NOT_SERVING while the database does not answer', async () => {
    const url = new URL(loadConfig().databases.inventory);
    url.pathname = `/dtx_no_such_db_${Date.now()}`;
    const { logger, lines } = capturingLogger();
    const s = await serve('inventory', '', {
      dbUrl: url.toString(),
      migrate: false,
      healthIntervalMs: 200,
      logger,
    });
    // the periodic check ran against the database and failed
    await logged(lines, (l) => l.msg === 'database does not answer');
    expect(await check(s.address, '')).toBe('NOT_SERVING');
    expect(await check(s.address, 'dtx.v1.InventoryService')).toBe('NOT_SERVING');
  });
});

test('graceful shutdown drains an in-flight call, then refuses new ones', async () => {
  const { logger, lines } = capturingLogger();
  const s = await startService('payment', {
    address: '127.0.0.1:0',
    faults: 'payment.Credit=delay:600',
    logger,
  });
  const client = clientsFor(s.address).payment;
  const customerId = uid('cust');
  const topup = uid('topup');
  const inflight = call(client, 'credit', { branch: branch(topup, 'credit'), customerId, amount: 42 });
  await logged(lines, (l) => l.tx_id === topup && l.fault === 'delay');
  const db = createDb('payment');
  try {
    await s.stop(5000);
    await expect(inflight).resolves.toMatchObject({ outcome: 'APPLIED', wallet: { balance: 42 } });
    expect(Number((await db('wallets').where({ customer_id: customerId }).first()).balance)).toBe(42);
    expect(await failure(call(client, 'getWallet', { customerId }, { deadlineMs: 1000 }))).toMatchObject({
      transient: true,
    });
  } finally {
    await db.destroy();
  }
});

test('logs: JSON lines, tx_id on every line of a call; typed refusals logged as info, not errors', async () => {
  const { logger, lines } = capturingLogger();
  const s = await serve('payment', 'payment.Charge=delay:1', { logger });
  const tx = uid('order');
  const client = clientsFor(s.address).payment;
  await failure(
    call(client, 'charge', {
      branch: branch(tx, 'payment'),
      customerId: uid('ghost'),
      orderId: 'o',
      amount: 5,
    }),
  );
  await failure(
    call(client, 'charge', {
      branch: branch(tx, 'payment'),
      customerId: uid('ghost'),
      orderId: 'o',
      amount: 0,
    }),
  );
  const ofCall = lines.filter((l) => l.method === 'Charge');
  expect(ofCall.length).toBeGreaterThanOrEqual(4); // fault delay + outcome, twice
  expect(ofCall.every((l) => l.tx_id === tx && l.branch_id === 'payment')).toBe(true);
  expect(ofCall.filter((l) => l.msg === 'call refused').map((l) => l.code)).toEqual([
    'NOT_FOUND',
    'INVALID_ARGUMENT',
  ]);
  expect(ofCall.every((l) => (l.level as number) < 50)).toBe(true);
});

test('an unexpected handler error becomes INTERNAL (transient) without leaking its message, and is logged as an error', async () => {
  const { logger, lines } = capturingLogger();
  const boom: UnaryImpl<never, unknown> = () => Promise.reject(new Error('secret connection string'));
  const db = createDb('inventory', { poolMax: 1 });
  const methods = [
    'Reserve',
    'Release',
    'TryReserve',
    'ConfirmReserve',
    'CancelReserve',
    'GetStock',
    'Quote',
    'UpsertProduct',
    'SetStock',
  ];
  const server = await startGrpcServer({
    service: 'inventory',
    handlers: Object.fromEntries(methods.map((m) => [m, boom])),
    db,
    address: '127.0.0.1:0',
    faults: '',
    logger,
  });
  try {
    const err = await failure(
      call(clientsFor(server.address).inventory, 'getStock', { skus: ['x'] }, { txId: 'tx-meta' }),
    );
    expect(err).toMatchObject({ codeName: 'INTERNAL', transient: true, message: 'internal error' });
    const logged = lines.find((l) => l.msg === 'call failed: unexpected error');
    expect(logged).toMatchObject({ level: 50, method: 'GetStock', tx_id: 'tx-meta' });
    expect(JSON.stringify(logged)).toContain('secret connection string');
  } finally {
    await server.shutdown(1000);
    await db.destroy();
  }
});

test('tracing off: events carry tx-id and no trace context, even when the caller sends a traceparent', async () => {
  // the trace context is the outbox writer's, from the active span (common/telemetry.ts), not copied from metadata by
  // hand; with no OTEL_* exporter (this process) there is none (test/integration/telemetry has the tracing-on case)
  const s = await serve('payment', '');
  const tx = uid('topup');
  const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
  const customerId = uid('cust');
  await call(
    clientsFor(s.address).payment,
    'credit',
    { branch: branch(tx, 'credit'), customerId, amount: 1 },
    { metadata: { traceparent } },
  );
  expect((await outboxOfTx(s.db, tx))[0].headers).toEqual({ 'tx-id': tx });
});

test('migrations: concurrent runs on the same database both succeed (advisory lock), nothing left to apply', async () => {
  const [a, b] = [createDb('coupon', { poolMax: 3 }), createDb('coupon', { poolMax: 3 })];
  try {
    const results = await Promise.all([migrateDatabase(a, 'coupon'), migrateDatabase(b, 'coupon')]);
    expect(results).toEqual([[], []]);
    const applied = await a('knex_migrations').select('name');
    expect(applied.map((r: { name: string }) => r.name)).toContain('20260101000000_init.ts');
  } finally {
    await Promise.all([a.destroy(), b.destroy()]);
  }
});

test('barrier cleanup deletes rows older than the retention and keeps younger ones', async () => {
  const db = createDb('payment', { poolMax: 2 });
  const [oldTx, youngTx] = [uid('old'), uid('young')];
  try {
    await db.raw(
      `insert into tx_barrier (tx_id, branch_id, op, created_at) values (?, 'p', 'action', now() - interval '8 days')`,
      [oldTx],
    );
    await db.raw(
      `insert into tx_barrier (tx_id, branch_id, op, created_at) values (?, 'p', 'action', now() - interval '6 days')`,
      [youngTx],
    );
    expect(await cleanupBarrier(db, 7)).toBeGreaterThanOrEqual(1);
    expect(await barrierOf(db, oldTx)).toEqual([]);
    expect(await barrierOf(db, youngTx)).toEqual(['p:action:']);
  } finally {
    await db.destroy();
  }
});

test('call(): an aborted signal cancels the call (CANCELLED)', async () => {
  const s = await serve('payment', 'payment.GetWallet=delay:500');
  const controller = new AbortController();
  const pending = call(
    clientsFor(s.address).payment,
    'getWallet',
    { customerId: 'x' },
    { signal: controller.signal },
  );
  setTimeout(() => controller.abort(), 50);
  expect(await failure(pending)).toMatchObject({ codeName: 'CANCELLED', transient: false });
});
