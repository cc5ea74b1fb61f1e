/**
 * Outbox rules (docs/design.md) as the services apply them: the event row is written in the same transaction as the
 * change (NOTIFY on commit), is absent when that transaction rolls back, and there is exactly one row per applied
 * change (none for duplicates, empty compensations or refused calls).
 */
import { Client, type Notification } from 'pg';
import { loadConfig } from '../../../common/config';
import { OUTBOX_CHANNEL } from '../../../outbox/writer';
import { emitEvent, noteAggregateVersion } from '../../../services/lib/events';
import { call } from '../../../services/rpc/clients';
import { failure, outboxOfTx, silentLogger, startHarness, uid, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness(['inventory', 'payment']);
});
afterAll(() => h.stop());

async function product(available: number, prefix = 'SKU'): Promise<string> {
  const sku = uid(prefix);
  await call(h.clients.inventory, 'upsertProduct', { sku, name: sku, unitPrice: 10 });
  await call(h.clients.inventory, 'setStock', { sku, available });
  return sku;
}

test('an applied change commits its outbox row (pending, stable uuid, xid8 txid) and NOTIFYs dtx_outbox', async () => {
  const db = h.db('inventory');
  const connection = new Client({ connectionString: loadConfig().databases.inventory });
  await connection.connect();
  const notifications: string[] = [];
  const onNotification = (n: Notification) => {
    if (n.channel === OUTBOX_CHANNEL) notifications.push(n.payload ?? '');
  };
  try {
    connection.on('notification', onNotification);
    await connection.query(`listen ${OUTBOX_CHANNEL}`);
    const sku = await product(3);
    notifications.length = 0;
    const tx = uid('order');
    await call(h.clients.inventory, 'reserve', {
      branch: { txId: tx, branchId: 'inventory' },
      orderId: tx,
      items: [{ sku, quantity: 1 }],
    });
    const rows = await db('outbox')
      .whereRaw(`headers->>'tx-id' = ?`, [tx])
      .select('id', 'seq', 'txid', 'status', 'attempts', 'aggregate_type', 'aggregate_id', 'event_type');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      status: 'pending',
      attempts: 0,
      aggregate_type: 'inventory',
      aggregate_id: sku,
      event_type: 'StockReserved',
    });
    expect(rows[0].id).toMatch(/^[0-9a-f-]{36}$/);
    // the row's txid is the transaction that also wrote the reservation: both committed together
    const reservationTx = await db.raw<{ rows: { xmin: string }[] }>(
      `select xmin from reservations where tx_id = ?`,
      [tx],
    );
    expect(String(BigInt(rows[0].txid as string) % 2n ** 32n)).toBe(reservationTx.rows[0].xmin);
    for (let i = 0; i < 50 && notifications.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(notifications).toContain('inventory');
  } finally {
    connection.removeListener('notification', onNotification);
    await connection.end();
  }
});

test('a rolled-back transaction leaves no outbox row', async () => {
  const db = h.db('payment');
  const tx = uid('rolled-back');
  const ctx = { log: silentLogger, method: 'test', txId: tx, eventHeaders: { 'tx-id': tx } };
  await expect(
    db.transaction(async (trx) => {
      noteAggregateVersion(trx, 'payment', 'someone', 1);
      await emitEvent(trx, ctx, 'payment', 'someone', 'PaymentCharged', { orderId: 'o' });
      expect(await trx('outbox').whereRaw(`headers->>'tx-id' = ?`, [tx])).toHaveLength(1);
      throw new Error('business change failed after the event was appended');
    }),
  ).rejects.toThrow('after the event');
  expect(await outboxOfTx(db, tx)).toEqual([]);
});

test('a service call refused after changing rows (second SKU short) rolls back its first SKU and writes no event', async () => {
  // SKUs are taken in sorted order: A-... is moved first, then B-... is short
  const [a, b] = [await product(5, 'A-SKU'), await product(0, 'B-SKU')];
  const tx = uid('order');
  const err = await failure(
    call(h.clients.inventory, 'tryReserve', {
      branch: { txId: tx, branchId: 'inventory' },
      orderId: tx,
      items: [
        { sku: a, quantity: 2 },
        { sku: b, quantity: 1 },
      ],
    }),
  );
  expect(err.reason).toBe('INSUFFICIENT_STOCK');
  expect(await outboxOfTx(h.db('inventory'), tx)).toEqual([]);
  const stock = await h.db('inventory')('stock').where({ sku: a }).first();
  expect([Number(stock.available), Number(stock.frozen)]).toEqual([5, 0]);
});

test('exactly one row per applied change over a whole branch life; none for duplicates or empty compensations', async () => {
  const customerId = uid('cust');
  const credit = uid('topup');
  const [charge, freeze, empty] = [uid('order'), uid('order'), uid('order')];
  const p = h.clients.payment;
  await call(p, 'credit', { branch: { txId: credit, branchId: 'credit' }, customerId, amount: 1000 });
  await call(p, 'credit', { branch: { txId: credit, branchId: 'credit' }, customerId, amount: 1000 });
  for (let i = 0; i < 2; i++)
    await call(p, 'charge', {
      branch: { txId: charge, branchId: 'payment' },
      customerId,
      orderId: 'o',
      amount: 100,
    });
  for (let i = 0; i < 2; i++) await call(p, 'refund', { branch: { txId: charge, branchId: 'payment' } });
  for (let i = 0; i < 2; i++)
    await call(p, 'tryFreeze', {
      branch: { txId: freeze, branchId: 'payment' },
      customerId,
      orderId: 'o',
      amount: 100,
    });
  for (let i = 0; i < 2; i++) await call(p, 'confirm', { branch: { txId: freeze, branchId: 'payment' } });
  for (let i = 0; i < 2; i++) await call(p, 'refund', { branch: { txId: empty, branchId: 'payment' } });
  for (let i = 0; i < 2; i++) await call(p, 'cancel', { branch: { txId: empty, branchId: 'payment-tcc' } });
  const db = h.db('payment');
  expect((await outboxOfTx(db, credit)).map((e) => e.event_type)).toEqual(['WalletCredited']);
  expect((await outboxOfTx(db, charge)).map((e) => e.event_type)).toEqual([
    'PaymentCharged',
    'PaymentRefunded',
  ]);
  expect((await outboxOfTx(db, freeze)).map((e) => e.event_type)).toEqual([
    'PaymentFrozen',
    'PaymentConfirmed',
  ]);
  expect(await outboxOfTx(db, empty)).toEqual([]);
  const wallet = await db('wallets').where({ customer_id: customerId }).first();
  expect([Number(wallet.balance), Number(wallet.frozen)]).toEqual([900, 0]);
});

test('an event is refused unless its transaction changed the aggregate row (no version to order it by)', async () => {
  const db = h.db('payment');
  const tx = uid('unversioned');
  const ctx = { log: silentLogger, method: 'test', txId: tx, eventHeaders: { 'tx-id': tx } };
  await expect(
    db.transaction((trx) => emitEvent(trx, ctx, 'payment', 'someone', 'PaymentCharged', { orderId: 'o' })),
  ).rejects.toThrow('did not change the aggregate row');
  // one change, one event: a second event on the same change is refused too
  await expect(
    db.transaction(async (trx) => {
      noteAggregateVersion(trx, 'payment', 'someone', 7);
      await emitEvent(trx, ctx, 'payment', 'someone', 'PaymentCharged', { orderId: 'o' });
      await emitEvent(trx, ctx, 'payment', 'someone', 'PaymentRefunded', { orderId: 'o' });
    }),
  ).rejects.toThrow('did not change the aggregate row');
  expect(await outboxOfTx(db, tx)).toEqual([]);
});

test('each event carries its aggregate row version, bumped by the change (UpsertProduct bumps the stock row)', async () => {
  const db = h.db('inventory');
  const sku = await product(5); // ProductUpserted (stock row created), StockSet
  await call(h.clients.inventory, 'upsertProduct', { sku, name: `${sku} renamed`, unitPrice: 12 });
  await call(h.clients.inventory, 'upsertProduct', { sku, name: `${sku} renamed`, unitPrice: 12 }); // no change
  const tx = uid('order');
  await call(h.clients.inventory, 'reserve', {
    branch: { txId: tx, branchId: 'inventory' },
    orderId: tx,
    items: [{ sku, quantity: 2 }],
  });
  await call(h.clients.inventory, 'release', { branch: { txId: tx, branchId: 'inventory' } });
  const rows = await db('outbox')
    .where({ aggregate_id: sku })
    .orderBy('seq')
    .select<{ event_type: string; aggregate_version: string }[]>('event_type', 'aggregate_version');
  expect(rows.map((r) => [r.event_type, Number(r.aggregate_version)])).toEqual([
    ['ProductUpserted', 1],
    ['StockSet', 2],
    ['ProductUpserted', 3],
    ['StockReserved', 4],
    ['StockReleased', 5],
  ]);
  const stock = await db('stock').where({ sku }).first<{ version: string }>('version');
  expect(Number(stock?.version)).toBe(5);
});
