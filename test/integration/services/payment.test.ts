/** Payment service over real gRPC and PostgreSQL: credit, charge/refund, freeze/confirm/cancel, never negative. */
import { call } from '../../../services/rpc/clients';
import { branch, failure, outboxOfAggregate, startHarness, uid, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness(['payment']);
});
afterAll(() => h.stop());

async function wallet(customerId: string): Promise<{ balance: number; frozen: number }> {
  const row = await h.db('payment')('wallets').where({ customer_id: customerId }).first('balance', 'frozen');
  return { balance: Number(row.balance), frozen: Number(row.frozen) };
}

async function funded(amount: number): Promise<string> {
  const customerId = uid('cust');
  await call(h.clients.payment, 'credit', { branch: branch(uid('topup'), 'credit'), customerId, amount });
  return customerId;
}

test('Credit creates the wallet on first credit and adds after (WalletCredited); idempotent per branch', async () => {
  const customerId = uid('cust');
  const tx = uid('topup');
  expect(
    await call(h.clients.payment, 'credit', { branch: branch(tx, 'credit'), customerId, amount: 5000 }),
  ).toEqual({
    outcome: 'APPLIED',
    wallet: { customerId, balance: 5000, frozen: 0 },
  });
  expect(
    (await call(h.clients.payment, 'credit', { branch: branch(tx, 'credit'), customerId, amount: 5000 }))
      .outcome,
  ).toBe('DUPLICATE');
  await call(h.clients.payment, 'credit', {
    branch: branch(uid('topup'), 'credit'),
    customerId,
    amount: 250,
  });
  expect(await wallet(customerId)).toEqual({ balance: 5250, frozen: 0 });
  expect(await call(h.clients.payment, 'getWallet', { customerId })).toEqual({
    customerId,
    balance: 5250,
    frozen: 0,
  });
  const events = await outboxOfAggregate(h.db('payment'), customerId);
  expect(events.map((e) => [e.aggregate_type, e.event_type, e.payload.amount])).toEqual([
    ['payment', 'WalletCredited', 5000],
    ['payment', 'WalletCredited', 250],
  ]);
  expect(await failure(call(h.clients.payment, 'getWallet', { customerId: uid('nobody') }))).toMatchObject({
    codeName: 'NOT_FOUND',
    resource: 'wallet',
  });
});

test('a credit that would pass Number.MAX_SAFE_INTEGER is refused and changes nothing', async () => {
  const customerId = await funded(Number.MAX_SAFE_INTEGER - 10);
  const err = await failure(
    call(h.clients.payment, 'credit', { branch: branch(uid('topup'), 'credit'), customerId, amount: 11 }),
  );
  expect(err).toMatchObject({ codeName: 'INVALID_ARGUMENT', field: 'amount' });
  expect(await wallet(customerId)).toEqual({ balance: Number.MAX_SAFE_INTEGER - 10, frozen: 0 });
});

test('Charge takes the amount and records the payment; Refund gives it back; events carry orderId', async () => {
  const customerId = await funded(10_000);
  const tx = uid('order');
  const orderId = uid('o');
  expect(
    await call(h.clients.payment, 'charge', {
      branch: branch(tx, 'payment'),
      customerId,
      orderId,
      amount: 3500,
    }),
  ).toEqual({
    outcome: 'APPLIED',
    wallet: { customerId, balance: 6500, frozen: 0 },
  });
  const payment = await h.db('payment')('payments').where({ tx_id: tx }).first();
  expect([payment.kind, payment.state, Number(payment.amount), payment.order_id]).toEqual([
    'CHARGE',
    'CHARGED',
    3500,
    orderId,
  ]);
  await call(h.clients.payment, 'refund', { branch: branch(tx, 'payment'), reason: 'order cancelled' });
  expect(await wallet(customerId)).toEqual({ balance: 10_000, frozen: 0 });
  expect((await h.db('payment')('payments').where({ tx_id: tx }).first()).state).toBe('REFUNDED');
  const events = (await outboxOfAggregate(h.db('payment'), customerId)).slice(1);
  expect(events.map((e) => [e.event_type, e.payload.orderId, e.payload.amount, e.payload.balance])).toEqual([
    ['PaymentCharged', orderId, 3500, 6500],
    ['PaymentRefunded', orderId, 3500, 10_000],
  ]);
});

test('TryFreeze moves balance to frozen; Confirm debits the frozen; Cancel returns it', async () => {
  const customerId = await funded(10_000);
  const [tx1, tx2] = [uid('order'), uid('order')];
  await call(h.clients.payment, 'tryFreeze', {
    branch: branch(tx1, 'payment'),
    customerId,
    orderId: 'o1',
    amount: 3000,
  });
  await call(h.clients.payment, 'tryFreeze', {
    branch: branch(tx2, 'payment'),
    customerId,
    orderId: 'o2',
    amount: 2000,
  });
  expect(await wallet(customerId)).toEqual({ balance: 5000, frozen: 5000 });
  await call(h.clients.payment, 'confirm', { branch: branch(tx1, 'payment') });
  expect(await wallet(customerId)).toEqual({ balance: 5000, frozen: 2000 });
  await call(h.clients.payment, 'cancel', { branch: branch(tx2, 'payment'), reason: 'timeout' });
  expect(await wallet(customerId)).toEqual({ balance: 7000, frozen: 0 });
  expect((await outboxOfAggregate(h.db('payment'), customerId)).map((e) => e.event_type)).toEqual([
    'WalletCredited',
    'PaymentFrozen',
    'PaymentFrozen',
    'PaymentConfirmed',
    'PaymentUnfrozen',
  ]);
});

test('INSUFFICIENT_FUNDS leaves the wallet, payments and outbox untouched; unknown wallet -> NOT_FOUND', async () => {
  const customerId = await funded(1000);
  const tx = uid('order');
  expect(
    await failure(
      call(h.clients.payment, 'charge', {
        branch: branch(tx, 'payment'),
        customerId,
        orderId: 'o',
        amount: 1001,
      }),
    ),
  ).toMatchObject({
    codeName: 'FAILED_PRECONDITION',
    reason: 'INSUFFICIENT_FUNDS',
  });
  expect(
    await failure(
      call(h.clients.payment, 'tryFreeze', {
        branch: branch(tx, 'payment'),
        customerId,
        orderId: 'o',
        amount: 1001,
      }),
    ),
  ).toMatchObject({
    reason: 'INSUFFICIENT_FUNDS',
  });
  expect(await wallet(customerId)).toEqual({ balance: 1000, frozen: 0 });
  expect(await h.db('payment')('payments').where({ tx_id: tx })).toEqual([]);
  expect((await outboxOfAggregate(h.db('payment'), customerId)).map((e) => e.event_type)).toEqual([
    'WalletCredited',
  ]);
  expect(
    await failure(
      call(h.clients.payment, 'charge', {
        branch: branch(tx, 'payment'),
        customerId: uid('ghost'),
        orderId: 'o',
        amount: 1,
      }),
    ),
  ).toMatchObject({
    codeName: 'NOT_FOUND',
    resource: 'wallet',
  });
});

test('wallet never negative under concurrency: 40 charges/freezes of 300 against 3000 -> exactly 10 succeed', async () => {
  const customerId = await funded(3000);
  const txs = Array.from({ length: 40 }, () => uid('order'));
  const results = await Promise.allSettled(
    txs.map((tx, i) =>
      call(h.clients.payment, i % 2 === 0 ? 'charge' : 'tryFreeze', {
        branch: branch(tx, 'payment'),
        customerId,
        orderId: tx,
        amount: 300,
      }),
    ),
  );
  const ok = results.filter((r) => r.status === 'fulfilled').length;
  expect(ok).toBe(10);
  const w = await wallet(customerId);
  expect(w.balance).toBe(0);
  const rows = await h
    .db('payment')('payments')
    .where({ customer_id: customerId })
    .whereIn('kind', ['CHARGE', 'FREEZE'])
    .select('kind', 'amount');
  expect(rows).toHaveLength(10);
  const frozen = rows.filter((r: { kind: string }) => r.kind === 'FREEZE').length * 300;
  expect(w.frozen).toBe(frozen);
});
