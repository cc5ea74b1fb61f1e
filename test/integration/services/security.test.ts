/**
 * The services' gRPC security over real gRPC and PostgreSQL (issue 11 §6): with an admin token configured the admin
 * RPCs (Credit, SetStock, UpsertProduct, IssueCoupon) refuse callers without it (UNAUTHENTICATED, nothing changed) and
 * the transactions' RPCs need none; with TLS the port speaks only TLS, and with a CA only to callers holding a
 * certificate it signed (mutual TLS). A throwaway self-signed certificate is made with openssl for the test.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadConfig, type GrpcSecurity, type ServiceName } from '../../../common/config';
import { call, createServiceClients, type ServiceClients } from '../../../services/rpc/clients';
import { dtxV1 } from '../../../services/rpc/protos';
import { startService, type RunningService } from '../../../services/runtime';
import { grpcServing } from '../../../start/probes';
import { branch, failure, silentLogger, uid } from './harness';

const TOKEN = `admin-${uid('token')}`;
const running: RunningService[] = [];
/** Closes every client a test opened. */
const closers: (() => void)[] = [];

afterAll(async () => {
  for (const close of closers) close();
  await Promise.all(running.map((service) => service.stop(2000)));
});

async function serve(name: ServiceName, security: GrpcSecurity): Promise<RunningService> {
  const service = await startService(name, {
    address: '127.0.0.1:0',
    faults: '',
    logger: silentLogger,
    config: { ...loadConfig(), grpc: security },
  });
  running.push(service);
  return service;
}

/** Clients of the given services (the others point at a closed port). */
function clientsFor(services: Partial<Record<ServiceName, RunningService>>, security: GrpcSecurity) {
  const addresses = {
    order: services.order?.address ?? '127.0.0.1:1',
    inventory: services.inventory?.address ?? '127.0.0.1:1',
    coupon: services.coupon?.address ?? '127.0.0.1:1',
    payment: services.payment?.address ?? '127.0.0.1:1',
  };
  const clients = createServiceClients(addresses, security);
  closers.push(() => clients.close());
  return clients;
}

describe('admin token', () => {
  let payment: RunningService;
  let inventory: RunningService;
  let coupon: RunningService;
  let anonymous: ServiceClients;
  let admin: ServiceClients;
  beforeAll(async () => {
    payment = await serve('payment', { adminToken: TOKEN });
    inventory = await serve('inventory', { adminToken: TOKEN });
    coupon = await serve('coupon', { adminToken: TOKEN });
    anonymous = clientsFor({ payment, inventory, coupon }, {});
    admin = clientsFor({ payment, inventory, coupon }, { adminToken: TOKEN });
  });

  const walletRow = (customerId: string) =>
    payment
      .db('wallets')
      .where({ customer_id: customerId })
      .first<{ balance: string } | undefined>('balance');

  test('Credit without the token is UNAUTHENTICATED and changes nothing; with it, it credits', async () => {
    const customerId = uid('cust');
    const credit = { branch: branch(uid('topup'), 'credit'), customerId, amount: 5000 };
    expect(await failure(call(anonymous.payment, 'credit', credit))).toMatchObject({
      codeName: 'UNAUTHENTICATED',
    });
    const wrong = clientsFor({ payment }, { adminToken: 'not-the-admin-token' });
    expect(await failure(call(wrong.payment, 'credit', credit))).toMatchObject({
      codeName: 'UNAUTHENTICATED',
    });
    expect(await walletRow(customerId)).toBeUndefined();
    // no barrier row either: the refused call never reached the handler
    expect(await payment.db('tx_barrier').where({ tx_id: credit.branch.txId }).first()).toBeUndefined();

    expect((await call(admin.payment, 'credit', credit)).outcome).toBe('APPLIED');
    expect(Number((await walletRow(customerId))?.balance)).toBe(5000);
  });

  test('the token also passes as x-dtx-admin-token metadata', async () => {
    const customerId = uid('cust');
    const credit = { branch: branch(uid('topup'), 'credit'), customerId, amount: 700 };
    const response = await call(anonymous.payment, 'credit', credit, {
      metadata: { 'x-dtx-admin-token': TOKEN },
    });
    expect(response.outcome).toBe('APPLIED');
    expect(Number((await walletRow(customerId))?.balance)).toBe(700);
  });

  test('SetStock, UpsertProduct and IssueCoupon need it too', async () => {
    const sku = uid('SKU');
    const code = uid('CPN').toUpperCase();
    const refused = await Promise.all([
      failure(call(anonymous.inventory, 'upsertProduct', { sku, name: sku, unitPrice: 100 })),
      failure(call(anonymous.inventory, 'setStock', { sku, available: 10 })),
      failure(call(anonymous.coupon, 'issueCoupon', { code, discountType: 'FIXED', amountOff: 500 })),
    ]);
    expect(refused.map((error) => error.codeName)).toEqual([
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
    ]);
    expect(await inventory.db('products').where({ sku }).first()).toBeUndefined();

    await call(admin.inventory, 'upsertProduct', { sku, name: sku, unitPrice: 100 });
    await call(admin.inventory, 'setStock', { sku, available: 10 });
    await call(admin.coupon, 'issueCoupon', { code, discountType: 'FIXED', amountOff: 500 });
    expect(await inventory.db('products').where({ sku }).first()).toBeDefined();
    expect(await coupon.db('coupons').where({ code }).first()).toBeDefined();
  });

  test("the transactions' RPCs need no token: Charge and reads work for an anonymous caller", async () => {
    const customerId = uid('cust');
    await call(admin.payment, 'credit', { branch: branch(uid('topup'), 'credit'), customerId, amount: 1000 });
    const tx = uid('tx');
    const charged = await call(anonymous.payment, 'charge', {
      branch: branch(tx, 'payment'),
      customerId,
      orderId: tx,
      amount: 400,
    });
    expect(charged.outcome).toBe('APPLIED');
    expect(await call(anonymous.payment, 'getWallet', { customerId })).toMatchObject({ balance: 600 });
  });
});

/** A throwaway self-signed certificate (its own CA) for 127.0.0.1, made with openssl. */
function makeCertificate(dir: string, name: string): { cert: string; key: string } {
  const cert = path.join(dir, `${name}.cert.pem`);
  const key = path.join(dir, `${name}.key.pem`);
  const made = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1'].concat([
      '-subj',
      `/CN=${name}`,
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ]),
    { encoding: 'utf8' },
  );
  if (made.error !== undefined || made.status !== 0) {
    throw new Error(`openssl is needed to make the test certificate: ${made.error?.message ?? made.stderr}`);
  }
  return { cert, key };
}

describe('TLS', () => {
  let dir: string;
  let ours: { cert: string; key: string };
  let stranger: { cert: string; key: string };
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtx-grpc-tls-'));
    ours = makeCertificate(dir, 'dtx-test');
    stranger = makeCertificate(dir, 'stranger');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** GetOrder of an unknown order: NOT_FOUND is an answer of the service, UNAVAILABLE means no connection. */
  const askOrder = async (client: ServiceClients['order']) =>
    (await failure(call(client, 'getOrder', { orderId: uid('nope') }, { deadlineMs: 5000 }))).codeName;

  /** A client of the order service with hand-made credentials (outside dtx's configuration). */
  function orderClient(address: string, credentials: grpc.ChannelCredentials): ServiceClients['order'] {
    const client = new (dtxV1().OrderService)(address, credentials);
    closers.push(() => client.close());
    return client;
  }

  test('TLS: a TLS client gets answers; a plaintext client gets none', async () => {
    const order = await serve('order', { tls: { certPath: ours.cert, keyPath: ours.key } });
    // the client trusts the self-signed certificate (as its CA)
    const tls = clientsFor({ order }, { tls: { certPath: ours.cert, keyPath: ours.key, caPath: ours.cert } });
    const plaintext = clientsFor({ order }, {});
    expect(await askOrder(tls.order)).toBe('NOT_FOUND');
    expect(await askOrder(plaintext.order)).toBe('UNAVAILABLE');
    // npm start's readiness probe speaks TLS when configured
    const trusting = grpc.credentials.createSsl(fs.readFileSync(ours.cert));
    await expect(grpcServingSoon(order.address, trusting)).resolves.toBe(true);
    expect(await grpcServing(order.address, grpc.credentials.createInsecure())).toBe(false);
  });

  test('mutual TLS: only callers with a certificate the CA signed get answers', async () => {
    const order = await serve('order', {
      tls: { certPath: ours.cert, keyPath: ours.key, caPath: ours.cert },
    });
    const mutual = clientsFor(
      { order },
      { tls: { certPath: ours.cert, keyPath: ours.key, caPath: ours.cert } },
    );
    expect(await askOrder(mutual.order)).toBe('NOT_FOUND');

    const trusting = fs.readFileSync(ours.cert);
    const noClientCertificate = orderClient(order.address, grpc.credentials.createSsl(trusting));
    const strangersCertificate = orderClient(
      order.address,
      grpc.credentials.createSsl(trusting, fs.readFileSync(stranger.key), fs.readFileSync(stranger.cert)),
    );
    const plaintext = clientsFor({ order }, {});
    expect(await askOrder(noClientCertificate)).toBe('UNAVAILABLE');
    expect(await askOrder(strangersCertificate)).toBe('UNAVAILABLE');
    expect(await askOrder(plaintext.order)).toBe('UNAVAILABLE');
  });
});

/** grpcServing until true or 10 s (the service reports SERVING once its first database ping answers). */
async function grpcServingSoon(address: string, credentials: grpc.ChannelCredentials): Promise<boolean> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (await grpcServing(address, credentials)) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}
