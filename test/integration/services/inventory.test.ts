/** Inventory service over real gRPC and PostgreSQL: every operation's database truth, oversell, outbox. */
import { call } from '../../../services/rpc/clients';
import {
  barrierOf,
  branch,
  failure,
  outboxOfAggregate,
  outboxOfTx,
  startHarness,
  uid,
  type Harness,
} from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness(['inventory']);
});
afterAll(() => h.stop());

async function product(available: number, unitPrice = 1000): Promise<string> {
  const sku = uid('SKU');
  await call(h.clients.inventory, 'upsertProduct', { sku, name: `Product ${sku}`, unitPrice });
  await call(h.clients.inventory, 'setStock', { sku, available });
  return sku;
}

async function stock(sku: string): Promise<{ available: number; frozen: number; sold: number }> {
  const row = await h
    .db('inventory')('stock')
    .where({ sku })
    .first<{ available: string; frozen: string; sold: string }>();
  return { available: Number(row.available), frozen: Number(row.frozen), sold: Number(row.sold) };
}

async function reservations(
  txId: string,
): Promise<{ sku: string; quantity: number; state: string; order_id: string }[]> {
  return h
    .db('inventory')('reservations')
    .where({ tx_id: txId })
    .orderBy('sku')
    .select('sku', 'quantity', 'state', 'order_id');
}

describe('catalogue', () => {
  test('UpsertProduct creates and updates a product with an empty stock row; same values write no event', async () => {
    const sku = uid('SKU');
    expect(await call(h.clients.inventory, 'upsertProduct', { sku, name: 'Mug', unitPrice: 1299 })).toEqual({
      sku,
      name: 'Mug',
      unitPrice: 1299,
    });
    await call(h.clients.inventory, 'upsertProduct', { sku, name: 'Mug', unitPrice: 1299 });
    await call(h.clients.inventory, 'upsertProduct', { sku, name: 'Big mug', unitPrice: 1499 });
    const row = await h.db('inventory')('products').where({ sku }).first();
    expect({ name: row.name, unit_price: Number(row.unit_price) }).toEqual({
      name: 'Big mug',
      unit_price: 1499,
    });
    expect(await stock(sku)).toEqual({ available: 0, frozen: 0, sold: 0 });
    const events = await outboxOfAggregate(h.db('inventory'), sku);
    expect(events.map((e) => e.event_type)).toEqual(['ProductUpserted', 'ProductUpserted']);
    expect(events[1].payload).toMatchObject({ sku, name: 'Big mug', unitPrice: 1499 });
  });

  test('SetStock sets (never adds) available; GetStock and Quote read the catalogue', async () => {
    const sku = await product(7, 250);
    expect(await call(h.clients.inventory, 'setStock', { sku, available: 7 })).toEqual({
      sku,
      available: 7,
      frozen: 0,
      sold: 0,
    });
    expect(await stock(sku)).toEqual({ available: 7, frozen: 0, sold: 0 });
    expect((await outboxOfAggregate(h.db('inventory'), sku)).map((e) => e.event_type)).toEqual([
      'ProductUpserted',
      'StockSet',
    ]);
    expect(await call(h.clients.inventory, 'getStock', { skus: [sku] })).toEqual({
      stocks: [{ sku, available: 7, frozen: 0, sold: 0 }],
    });
    const other = await product(1, 1000);
    expect(
      await call(h.clients.inventory, 'quote', {
        items: [
          { sku, quantity: 3 },
          { sku: other, quantity: 2 },
        ],
      }),
    ).toEqual({
      lines: [
        { sku, name: `Product ${sku}`, quantity: 3, unitPrice: 250, lineTotal: 750 },
        { sku: other, name: `Product ${other}`, quantity: 2, unitPrice: 1000, lineTotal: 2000 },
      ],
      subtotal: 2750,
    });
  });

  test('Quote refuses a sold-out SKU (INSUFFICIENT_STOCK, the cheap flash-sale reject); a short one still quotes', async () => {
    const [plenty, short, soldOut] = [await product(10), await product(1), await product(0)];
    const err = await failure(
      call(h.clients.inventory, 'quote', {
        items: [
          { sku: plenty, quantity: 1 },
          { sku: soldOut, quantity: 1 },
        ],
      }),
    );
    expect(err).toMatchObject({
      codeName: 'FAILED_PRECONDITION',
      reason: 'INSUFFICIENT_STOCK',
      type: 'INSUFFICIENT_STOCK',
      transient: false,
    });
    expect(err.message).toContain(`${soldOut} is sold out`);
    // more than what is left is Reserve's to refuse (and to undo): the quote prices it
    const quote = await call(h.clients.inventory, 'quote', { items: [{ sku: short, quantity: 2 }] });
    expect(quote.subtotal).toBe(2 * 1000);
    expect(await stock(soldOut)).toEqual({ available: 0, frozen: 0, sold: 0 });
  });

  test('unknown SKU -> NOT_FOUND naming it, for Quote, GetStock, SetStock and Reserve (nothing written)', async () => {
    const known = await product(5);
    const unknown = uid('NOPE');
    for (const err of [
      await failure(call(h.clients.inventory, 'quote', { items: [{ sku: unknown, quantity: 1 }] })),
      await failure(call(h.clients.inventory, 'getStock', { skus: [unknown] })),
      await failure(call(h.clients.inventory, 'setStock', { sku: unknown, available: 1 })),
      await failure(
        call(h.clients.inventory, 'reserve', {
          branch: branch(uid('tx'), 'inventory'),
          orderId: 'o',
          items: [
            { sku: known, quantity: 1 },
            { sku: unknown, quantity: 1 },
          ],
        }),
      ),
    ]) {
      expect(err).toMatchObject({
        codeName: 'NOT_FOUND',
        resource: 'sku',
        resourceId: unknown,
        transient: false,
      });
    }
    expect(await stock(known)).toEqual({ available: 5, frozen: 0, sold: 0 });
  });
});

describe('saga Reserve / Release', () => {
  test('Reserve takes every item (available -> sold), records the reservation, one StockReserved per SKU', async () => {
    const [a, b] = [await product(10), await product(4)];
    const txId = uid('order');
    const orderId = uid('o');
    const result = await call(h.clients.inventory, 'reserve', {
      branch: branch(txId, 'inventory'),
      orderId,
      items: [
        { sku: b, quantity: 4 },
        { sku: a, quantity: 3 },
      ],
    });
    expect(result.outcome).toBe('APPLIED');
    expect(await stock(a)).toEqual({ available: 7, frozen: 0, sold: 3 });
    expect(await stock(b)).toEqual({ available: 0, frozen: 0, sold: 4 });
    expect(await reservations(txId)).toEqual(
      [
        { sku: a, quantity: 3, state: 'RESERVED', order_id: orderId },
        { sku: b, quantity: 4, state: 'RESERVED', order_id: orderId },
      ].sort((x, y) => (x.sku < y.sku ? -1 : 1)),
    );
    const events = await outboxOfTx(h.db('inventory'), txId);
    expect(events.map((e) => [e.event_type, e.aggregate_type, e.aggregate_id]).sort()).toEqual(
      [
        ['StockReserved', 'inventory', a],
        ['StockReserved', 'inventory', b],
      ].sort(),
    );
    expect(events.find((e) => e.aggregate_id === a)?.payload).toMatchObject({
      orderId,
      txId,
      sku: a,
      quantity: 3,
      available: 7,
      sold: 3,
    });
    expect(events[0].headers['tx-id']).toBe(txId);
    expect(await barrierOf(h.db('inventory'), txId)).toEqual(['inventory:action:']);

    const released = await call(h.clients.inventory, 'release', {
      branch: branch(txId, 'inventory'),
      reason: 'payment failed',
    });
    expect(released.outcome).toBe('APPLIED');
    expect(await stock(a)).toEqual({ available: 10, frozen: 0, sold: 0 });
    expect(await stock(b)).toEqual({ available: 4, frozen: 0, sold: 0 });
    expect((await reservations(txId)).map((r) => r.state)).toEqual(['RELEASED', 'RELEASED']);
    const after = await outboxOfTx(h.db('inventory'), txId);
    expect(after.filter((e) => e.event_type === 'StockReleased').map((e) => e.payload.reason)).toEqual([
      'payment failed',
      'payment failed',
    ]);
  });

  test('all or nothing: one short SKU -> INSUFFICIENT_STOCK, no stock moved, no reservation, no barrier row, no event', async () => {
    const [a, b] = [await product(10), await product(1)];
    const txId = uid('order');
    const err = await failure(
      call(h.clients.inventory, 'reserve', {
        branch: branch(txId, 'inventory'),
        orderId: 'o',
        items: [
          { sku: a, quantity: 5 },
          { sku: b, quantity: 2 },
        ],
      }),
    );
    expect(err).toMatchObject({
      codeName: 'FAILED_PRECONDITION',
      reason: 'INSUFFICIENT_STOCK',
      type: 'INSUFFICIENT_STOCK',
      transient: false,
    });
    expect(await stock(a)).toEqual({ available: 10, frozen: 0, sold: 0 });
    expect(await stock(b)).toEqual({ available: 1, frozen: 0, sold: 0 });
    expect(await reservations(txId)).toEqual([]);
    expect(await barrierOf(h.db('inventory'), txId)).toEqual([]);
    expect(await outboxOfTx(h.db('inventory'), txId)).toEqual([]);
    // the compensation that follows is empty
    expect(
      (await call(h.clients.inventory, 'release', { branch: branch(txId, 'inventory'), reason: 'x' }))
        .outcome,
    ).toBe('EMPTY');
    expect(await stock(a)).toEqual({ available: 10, frozen: 0, sold: 0 });
  });
});

describe('TCC TryReserve / ConfirmReserve / CancelReserve', () => {
  test('try freezes, confirm sells; events StockFrozen then StockConfirmed', async () => {
    const sku = await product(5);
    const txId = uid('order');
    const orderId = uid('o');
    expect(
      (
        await call(h.clients.inventory, 'tryReserve', {
          branch: branch(txId, 'inventory'),
          orderId,
          items: [{ sku, quantity: 2 }],
        })
      ).outcome,
    ).toBe('APPLIED');
    expect(await stock(sku)).toEqual({ available: 3, frozen: 2, sold: 0 });
    expect(
      (await call(h.clients.inventory, 'confirmReserve', { branch: branch(txId, 'inventory') })).outcome,
    ).toBe('APPLIED');
    expect(await stock(sku)).toEqual({ available: 3, frozen: 0, sold: 2 });
    expect((await reservations(txId))[0].state).toBe('CONFIRMED');
    expect((await outboxOfTx(h.db('inventory'), txId)).map((e) => [e.event_type, e.payload.orderId])).toEqual(
      [
        ['StockFrozen', orderId],
        ['StockConfirmed', orderId],
      ],
    );
  });

  test('try freezes, cancel unfreezes; events StockFrozen then StockUnfrozen', async () => {
    const sku = await product(5);
    const txId = uid('order');
    await call(h.clients.inventory, 'tryReserve', {
      branch: branch(txId, 'inventory'),
      orderId: 'o',
      items: [{ sku, quantity: 5 }],
    });
    expect(await stock(sku)).toEqual({ available: 0, frozen: 5, sold: 0 });
    expect(
      (
        await call(h.clients.inventory, 'cancelReserve', {
          branch: branch(txId, 'inventory'),
          reason: 'try timeout',
        })
      ).outcome,
    ).toBe('APPLIED');
    expect(await stock(sku)).toEqual({ available: 5, frozen: 0, sold: 0 });
    expect((await reservations(txId))[0].state).toBe('CANCELLED');
    expect((await outboxOfTx(h.db('inventory'), txId)).map((e) => e.event_type)).toEqual([
      'StockFrozen',
      'StockUnfrozen',
    ]);
  });
});

describe('no overselling', () => {
  test('50 concurrent reservations of 1 unit against 10 units: exactly 10 succeed, available 0, sold 10', async () => {
    const sku = await product(10);
    const txIds = Array.from({ length: 50 }, () => uid('order'));
    const results = await Promise.allSettled(
      txIds.map((txId) =>
        call(h.clients.inventory, 'reserve', {
          branch: branch(txId, 'inventory'),
          orderId: txId,
          items: [{ sku, quantity: 1 }],
        }),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(10);
    expect(rejected.map((r) => (r.reason as { code: number }).code)).toEqual(Array(40).fill(9)); // FAILED_PRECONDITION
    expect(await stock(sku)).toEqual({ available: 0, frozen: 0, sold: 10 });
    const reserved = await h
      .db('inventory')('reservations')
      .where({ sku })
      .count<{ count: string }[]>('* as count');
    expect(Number(reserved[0].count)).toBe(10);
    expect(
      (await outboxOfAggregate(h.db('inventory'), sku)).filter((e) => e.event_type === 'StockReserved'),
    ).toHaveLength(10);
  });

  test('50 concurrent TCC tries of 2 units and 2 SKUs (opposite order) against 10 units: 5 succeed, no deadlock', async () => {
    const [a, b] = [await product(10), await product(10)];
    const txIds = Array.from({ length: 50 }, () => uid('order'));
    const results = await Promise.allSettled(
      txIds.map((txId, i) =>
        call(h.clients.inventory, 'tryReserve', {
          branch: branch(txId, 'inventory'),
          orderId: txId,
          items:
            i % 2 === 0
              ? [
                  { sku: a, quantity: 2 },
                  { sku: b, quantity: 2 },
                ]
              : [
                  { sku: b, quantity: 2 },
                  { sku: a, quantity: 2 },
                ],
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    expect(await stock(a)).toEqual({ available: 0, frozen: 10, sold: 0 });
    expect(await stock(b)).toEqual({ available: 0, frozen: 10, sold: 0 });
    // confirm half, cancel the other half: totals stay consistent
    const winners = txIds.filter((_, i) => results[i].status === 'fulfilled');
    await Promise.all(
      winners.map((txId, i) =>
        i < 3
          ? call(h.clients.inventory, 'confirmReserve', { branch: branch(txId, 'inventory') })
          : call(h.clients.inventory, 'cancelReserve', { branch: branch(txId, 'inventory') }),
      ),
    );
    expect(await stock(a)).toEqual({ available: 4, frozen: 0, sold: 6 });
    expect(await stock(b)).toEqual({ available: 4, frozen: 0, sold: 6 });
  });
});
