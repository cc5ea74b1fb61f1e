/** Coupon service over real gRPC and PostgreSQL: issue, quote, saga and TCC use, single use under concurrency. */
import { call } from '../../../services/rpc/clients';
import { branch, failure, outboxOfAggregate, startHarness, uid, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness(['coupon']);
});
afterAll(() => h.stop());

async function issue(terms: Record<string, unknown> = {}): Promise<string> {
  const code = uid('CPN');
  await call(h.clients.coupon, 'issueCoupon', {
    code,
    discountType: 'PERCENT',
    percentOff: 10,
    maxDiscount: 1500,
    ...terms,
  });
  return code;
}

async function row(code: string): Promise<{ state: string; tx_id: string | null; order_id: string | null }> {
  return h.db('coupon')('coupons').where({ code }).first('state', 'tx_id', 'order_id');
}

test('IssueCoupon creates it (CouponIssued); same terms again is idempotent; other terms -> ALREADY_EXISTS', async () => {
  const code = uid('CPN');
  const terms = {
    code,
    ownerCustomerId: 'alice',
    discountType: 'FIXED' as const,
    amountOff: 700,
    minOrderAmount: 2000,
    expiresAt: '2099-01-01T00:00:00Z',
  };
  const coupon = await call(h.clients.coupon, 'issueCoupon', terms);
  expect(coupon).toMatchObject({
    code,
    ownerCustomerId: 'alice',
    discountType: 'FIXED',
    amountOff: 700,
    minOrderAmount: 2000,
    state: 'AVAILABLE',
    expiresAt: '2099-01-01T00:00:00.000Z',
  });
  expect(await call(h.clients.coupon, 'issueCoupon', terms)).toEqual(coupon);
  expect(await failure(call(h.clients.coupon, 'issueCoupon', { ...terms, amountOff: 900 }))).toMatchObject({
    codeName: 'ALREADY_EXISTS',
    resourceId: code,
  });
  expect((await outboxOfAggregate(h.db('coupon'), code)).map((e) => e.event_type)).toEqual(['CouponIssued']);
  expect(await call(h.clients.coupon, 'getCoupon', { code })).toEqual(coupon);
  expect(await failure(call(h.clients.coupon, 'getCoupon', { code: uid('nope') }))).toMatchObject({
    codeName: 'NOT_FOUND',
    resource: 'coupon',
  });
});

test('Quote: percent with cap, fixed, and each COUPON_UNAVAILABLE rule (owner, minimum, expiry, state)', async () => {
  const percent = await issue();
  expect(
    await call(h.clients.coupon, 'quote', { code: percent, customerId: 'x', orderAmount: 9999 }),
  ).toEqual({ code: percent, discount: 999 });
  expect(
    await call(h.clients.coupon, 'quote', { code: percent, customerId: 'x', orderAmount: 100_000 }),
  ).toEqual({ code: percent, discount: 1500 });
  const owned = await issue({
    ownerCustomerId: 'alice',
    discountType: 'FIXED',
    percentOff: 0,
    maxDiscount: 0,
    amountOff: 500,
    minOrderAmount: 1000,
  });
  expect(
    (await call(h.clients.coupon, 'quote', { code: owned, customerId: 'alice', orderAmount: 1000 })).discount,
  ).toBe(500);
  for (const [request, why] of [
    [{ code: owned, customerId: 'bob', orderAmount: 5000 }, 'another customer'],
    [{ code: owned, customerId: 'alice', orderAmount: 999 }, 'at least 1000'],
  ] as const) {
    const err = await failure(call(h.clients.coupon, 'quote', request));
    expect(err).toMatchObject({ codeName: 'FAILED_PRECONDITION', reason: 'COUPON_UNAVAILABLE' });
    expect(err.message).toContain(why);
  }
  const expired = await issue({ expiresAt: '2020-01-01T00:00:00Z' });
  expect(
    (await failure(call(h.clients.coupon, 'quote', { code: expired, customerId: 'x', orderAmount: 5000 })))
      .message,
  ).toContain('expired');
});

test('Redeem: AVAILABLE -> USED by this tx with the discount; Restore: back to AVAILABLE; events carry orderId', async () => {
  const code = await issue();
  const tx = uid('order');
  const orderId = uid('o');
  const redeemed = await call(h.clients.coupon, 'redeem', {
    branch: branch(tx, 'coupon'),
    code,
    customerId: 'c',
    orderId,
    orderAmount: 5000,
  });
  expect(redeemed).toMatchObject({
    outcome: 'APPLIED',
    discount: 500,
    coupon: { state: 'USED', txId: tx, orderId },
  });
  expect(await row(code)).toEqual({ state: 'USED', tx_id: tx, order_id: orderId });
  const hold = await h.db('coupon')('coupon_holds').where({ tx_id: tx }).first();
  expect([hold.code, hold.state, Number(hold.discount), hold.mode]).toEqual([code, 'REDEEMED', 500, 'saga']);
  // a USED coupon cannot be redeemed by another transaction
  expect(
    await failure(
      call(h.clients.coupon, 'redeem', {
        branch: branch(uid('order'), 'coupon'),
        code,
        customerId: 'c',
        orderId: 'o2',
        orderAmount: 5000,
      }),
    ),
  ).toMatchObject({
    reason: 'COUPON_UNAVAILABLE',
  });
  expect(
    (await call(h.clients.coupon, 'restore', { branch: branch(tx, 'coupon'), reason: 'payment failed' }))
      .outcome,
  ).toBe('APPLIED');
  expect(await row(code)).toEqual({ state: 'AVAILABLE', tx_id: null, order_id: null });
  expect((await h.db('coupon')('coupon_holds').where({ tx_id: tx }).first()).state).toBe('RESTORED');
  const events = await outboxOfAggregate(h.db('coupon'), code);
  expect(events.map((e) => e.event_type)).toEqual(['CouponIssued', 'CouponRedeemed', 'CouponRestored']);
  expect(events[1].payload).toMatchObject({ orderId, code, discount: 500, txId: tx });
  expect(events[2].payload).toMatchObject({ orderId, reason: 'payment failed' });
});

test('TryLock: AVAILABLE -> FROZEN; Confirm -> USED; Cancel -> AVAILABLE', async () => {
  const code = await issue();
  const tx = uid('order');
  expect(
    await call(h.clients.coupon, 'tryLock', {
      branch: branch(tx, 'coupon'),
      code,
      customerId: 'c',
      orderId: 'o',
      orderAmount: 3000,
    }),
  ).toMatchObject({
    outcome: 'APPLIED',
    discount: 300,
    coupon: { state: 'FROZEN', txId: tx },
  });
  expect((await row(code)).state).toBe('FROZEN');
  await call(h.clients.coupon, 'confirm', { branch: branch(tx, 'coupon') });
  expect(await row(code)).toMatchObject({ state: 'USED', tx_id: tx });

  const other = await issue();
  const tx2 = uid('order');
  await call(h.clients.coupon, 'tryLock', {
    branch: branch(tx2, 'coupon'),
    code: other,
    customerId: 'c',
    orderId: 'o',
    orderAmount: 3000,
  });
  await call(h.clients.coupon, 'cancel', { branch: branch(tx2, 'coupon'), reason: 'timeout' });
  expect(await row(other)).toEqual({ state: 'AVAILABLE', tx_id: null, order_id: null });
  expect((await outboxOfAggregate(h.db('coupon'), code)).map((e) => e.event_type)).toEqual([
    'CouponIssued',
    'CouponFrozen',
    'CouponConfirmed',
  ]);
  expect((await outboxOfAggregate(h.db('coupon'), other)).map((e) => e.event_type)).toEqual([
    'CouponIssued',
    'CouponFrozen',
    'CouponUnfrozen',
  ]);
});

test('single use under concurrency: 30 transactions redeem/lock one coupon at once, exactly one wins', async () => {
  const code = await issue();
  const txs = Array.from({ length: 30 }, () => uid('order'));
  const results = await Promise.allSettled(
    txs.map((tx, i) =>
      call(h.clients.coupon, i % 2 === 0 ? 'redeem' : 'tryLock', {
        branch: branch(tx, 'coupon'),
        code,
        customerId: 'c',
        orderId: tx,
        orderAmount: 5000,
      }),
    ),
  );
  const winners = results.filter((r) => r.status === 'fulfilled');
  expect(winners).toHaveLength(1);
  const losers = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  expect(losers.every((r) => (r.reason as { details: string }).details.includes(code))).toBe(true);
  const live = await h
    .db('coupon')('coupon_holds')
    .where({ code })
    .whereIn('state', ['REDEEMED', 'FROZEN', 'CONFIRMED'])
    .select('tx_id');
  expect(live).toHaveLength(1);
  expect((await row(code)).tx_id).toBe(live[0].tx_id);
  expect(
    (await outboxOfAggregate(h.db('coupon'), code)).filter((e) => e.event_type !== 'CouponIssued'),
  ).toHaveLength(1);
});
