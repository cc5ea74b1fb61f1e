/**
 * A call's database work ends with its deadline (statement_timeout / lock_timeout from the gRPC deadline): calls
 * blocked on a row lock give their pool connections back when their callers give up, so the service keeps answering,
 * and nothing they started is applied later when the lock is released.
 */
import { loadConfig } from '../../../common/config';
import { createDb, type Knex } from '../../../common/db';
import { call } from '../../../services/rpc/clients';
import { branch, failure, startHarness, uid, type Harness } from './harness';

let h: Harness;
let locker: Knex;
beforeAll(async () => {
  h = await startHarness(['inventory']);
  locker = createDb('inventory', { url: loadConfig().databases.inventory, poolMax: 1 });
});
afterAll(async () => {
  await locker.destroy();
  await h.stop();
});

const stockOf = async (sku: string) =>
  h.db('inventory')('stock').where({ sku }).first<{ available: string; sold: string }>('available', 'sold');

test('15 reservations stuck on a locked stock row (more than the pool of 10) time out; the service still answers', async () => {
  const sku = uid('SKU');
  await call(h.clients.inventory, 'upsertProduct', { sku, name: sku, unitPrice: 100 });
  await call(h.clients.inventory, 'setStock', { sku, available: 100 });

  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const lockTaken = new Promise<void>((resolve) => (locked = resolve));
  const holder = locker.transaction(async (trx) => {
    await trx.raw('select sku from stock where sku = ? for update', [sku]);
    locked();
    await released;
  });
  await lockTaken;
  try {
    const stuck = Array.from({ length: 15 }, () =>
      failure(
        call(
          h.clients.inventory,
          'reserve',
          { branch: branch(uid('tx'), 'inventory'), orderId: uid('o'), items: [{ sku, quantity: 1 }] },
          { deadlineMs: 400 },
        ),
      ),
    );
    for (const error of await Promise.all(stuck)) expect(error.codeName).toBe('DEADLINE_EXCEEDED');

    // the lock is still held: a read needs a pool connection, and gets one because the stuck calls gave theirs back
    const started = Date.now();
    const read = await call(h.clients.inventory, 'getStock', { skus: [sku] }, { deadlineMs: 3000 });
    expect(read.stocks[0]).toMatchObject({ sku, available: 100 });
    expect(Date.now() - started).toBeLessThan(3000);
  } finally {
    release();
    await holder;
  }
  // nothing the timed-out calls started went through once the lock was free
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(await stockOf(sku)).toEqual({ available: '100', sold: '0' });
  const reservations = await h
    .db('inventory')('reservations')
    .where({ sku })
    .count<{ n: string }[]>('* as n');
  expect(Number(reservations[0].n)).toBe(0);
});
