/**
 * The barrier (docs/design.md) on every mutating RPC of every service, over real gRPC and PostgreSQL: duplicates,
 * empty compensations/cancels, hanging tries, confirm/cancel refusals, and try racing cancel.
 */
import { call } from '../../../services/rpc/clients';
import { barrierOf, branch, failure, outboxOfTx, startHarness, uid, type Harness } from './harness';
import { participantsOf, reason, type Participant } from './participants';

let h: Harness;
beforeAll(async () => {
  h = await startHarness(['order', 'inventory', 'coupon', 'payment']);
});
afterAll(() => h.stop());

const { inventory, coupon, payment, order } = participantsOf(() => h);
const participants = [inventory, coupon, payment, order];
const tccParticipants = [inventory, coupon, payment];
const events = async (p: Participant, txId: string): Promise<string[]> =>
  (await outboxOfTx(h.db(p.service), txId)).map((e) => e.event_type);

describe.each(participants.map((p) => [p.service, p] as const))('%s saga barrier', (_name, p) => {
  test('duplicate action: DUPLICATE, no second change, no second event', async () => {
    const subject = await p.setup();
    const tx = uid('order');
    expect((await p.action(subject, tx)).outcome).toBe('APPLIED');
    const afterFirst = await p.truth(subject);
    const eventsAfterFirst = await events(p, tx);
    expect(eventsAfterFirst.length).toBeGreaterThan(0);
    expect((await p.action(subject, tx)).outcome).toBe('DUPLICATE');
    expect(await p.truth(subject)).toEqual(afterFirst);
    expect(await events(p, tx)).toEqual(eventsAfterFirst);
    expect(await barrierOf(h.db(p.service), tx)).toEqual([`${p.service}:action:`]);
  });

  test('duplicate compensate: undone once, second is DUPLICATE with no event', async () => {
    const subject = await p.setup();
    const before = await p.truth(subject);
    const tx = uid('order');
    await p.action(subject, tx);
    expect((await p.compensate(subject, tx)).outcome).toBe('APPLIED');
    const afterCompensate = await p.truth(subject);
    const eventList = await events(p, tx);
    expect((await p.compensate(subject, tx)).outcome).toBe('DUPLICATE');
    expect(await p.truth(subject)).toEqual(afterCompensate);
    expect(await events(p, tx)).toEqual(eventList);
    if (p.service !== 'order') expect(afterCompensate).toEqual(before);
    expect(await barrierOf(h.db(p.service), tx)).toEqual([
      `${p.service}:action:`,
      `${p.service}:compensate:${reason}`,
    ]);
  });

  test('empty compensation (action never ran): EMPTY, nothing changed, no event; the late action is refused as hanging', async () => {
    const subject = await p.setup();
    const before = await p.truth(subject);
    const tx = uid('order');
    expect((await p.compensate(subject, tx)).outcome).toBe('EMPTY');
    expect(await p.truth(subject)).toEqual(before);
    expect(await events(p, tx)).toEqual([]);
    expect(await barrierOf(h.db(p.service), tx)).toEqual([
      `${p.service}:action:compensate`,
      `${p.service}:compensate:${reason}`,
    ]);
    // duplicate of the empty compensation
    expect((await p.compensate(subject, tx)).outcome).toBe('DUPLICATE');
    // hanging action: arrives after its compensation
    const err = await failure(p.action(subject, tx));
    expect(err).toMatchObject({
      codeName: 'FAILED_PRECONDITION',
      reason: 'ALREADY_CANCELLED',
      transient: false,
    });
    expect(await p.truth(subject)).toEqual(before);
    expect(await events(p, tx)).toEqual([]);
  });
});

describe.each(tccParticipants.map((p) => [p.service, p] as const))('%s TCC barrier', (_name, p) => {
  const tryOp = (s: string, tx: string) => p.try!(s, tx);
  const confirm = (s: string, tx: string) => p.confirm!(s, tx);
  const cancel = (s: string, tx: string) => p.cancel!(s, tx);

  test('duplicate try and duplicate confirm: applied once each', async () => {
    const subject = await p.setup();
    const tx = uid('order');
    expect((await tryOp(subject, tx)).outcome).toBe('APPLIED');
    const afterTry = await p.truth(subject);
    expect((await tryOp(subject, tx)).outcome).toBe('DUPLICATE');
    expect(await p.truth(subject)).toEqual(afterTry);
    expect((await confirm(subject, tx)).outcome).toBe('APPLIED');
    const afterConfirm = await p.truth(subject);
    expect((await confirm(subject, tx)).outcome).toBe('DUPLICATE');
    expect(await p.truth(subject)).toEqual(afterConfirm);
    expect(await events(p, tx)).toHaveLength(2);
    // a cancel after the confirm is refused and changes nothing
    expect(await failure(cancel(subject, tx))).toMatchObject({
      codeName: 'FAILED_PRECONDITION',
      reason: 'ALREADY_CONFIRMED',
    });
    expect(await p.truth(subject)).toEqual(afterConfirm);
    expect(await barrierOf(h.db(p.service), tx)).toEqual([
      `${p.service}:confirm:${reason}`,
      `${p.service}:try:`,
    ]);
  });

  test('duplicate cancel: undone once; a confirm after the cancel is refused', async () => {
    const subject = await p.setup();
    const before = await p.truth(subject);
    const tx = uid('order');
    await tryOp(subject, tx);
    expect(await p.truth(subject)).not.toEqual(before);
    expect((await cancel(subject, tx)).outcome).toBe('APPLIED');
    expect(await p.truth(subject)).toEqual(before);
    expect((await cancel(subject, tx)).outcome).toBe('DUPLICATE');
    expect(await p.truth(subject)).toEqual(before);
    expect(await events(p, tx)).toHaveLength(2);
    expect(await failure(confirm(subject, tx))).toMatchObject({
      codeName: 'FAILED_PRECONDITION',
      reason: 'ALREADY_CANCELLED',
    });
    expect(await p.truth(subject)).toEqual(before);
  });

  test('empty cancel (try never ran): EMPTY, nothing changed; the hanging try is refused and changes nothing', async () => {
    const subject = await p.setup();
    const before = await p.truth(subject);
    const tx = uid('order');
    expect((await cancel(subject, tx)).outcome).toBe('EMPTY');
    expect(await barrierOf(h.db(p.service), tx)).toEqual([
      `${p.service}:cancel:${reason}`,
      `${p.service}:try:cancel`,
    ]);
    expect(await failure(tryOp(subject, tx))).toMatchObject({
      codeName: 'FAILED_PRECONDITION',
      reason: 'ALREADY_CANCELLED',
    });
    expect(await p.truth(subject)).toEqual(before);
    expect(await events(p, tx)).toEqual([]);
    // and a confirm of that branch is refused too
    expect(await failure(confirm(subject, tx))).toMatchObject({ reason: 'ALREADY_CANCELLED' });
  });

  test('confirm without a try is refused (TRY_NOT_APPLIED) and records nothing', async () => {
    const subject = await p.setup();
    const before = await p.truth(subject);
    const tx = uid('order');
    expect(await failure(confirm(subject, tx))).toMatchObject({
      codeName: 'FAILED_PRECONDITION',
      reason: 'TRY_NOT_APPLIED',
    });
    expect(await barrierOf(h.db(p.service), tx)).toEqual([]);
    expect(await p.truth(subject)).toEqual(before);
  });

  test('try racing cancel (25 rounds): always one consistent end state, nothing left frozen', async () => {
    const subject = await p.setup();
    const before = await p.truth(subject);
    const seen = new Set<string>();
    for (let round = 0; round < 25; round++) {
      const tx = uid('race');
      // alternate which request leaves first, so both orders of arrival occur
      const [tried, cancelled] =
        round % 2 === 0
          ? await Promise.allSettled([tryOp(subject, tx), cancel(subject, tx)])
          : await Promise.allSettled([cancel(subject, tx), tryOp(subject, tx)]).then(
              ([c, t]) => [t, c] as const,
            );
      expect(cancelled.status).toBe('fulfilled');
      const cancelOutcome = (cancelled as PromiseFulfilledResult<{ outcome?: string }>).value.outcome;
      if (cancelOutcome === 'EMPTY') {
        // the cancel came first: the try was refused as hanging
        expect(tried.status).toBe('rejected');
        expect(await events(p, tx)).toEqual([]);
      } else {
        expect(cancelOutcome).toBe('APPLIED');
        expect(tried).toMatchObject({ status: 'fulfilled', value: { outcome: 'APPLIED' } });
        expect(await events(p, tx)).toHaveLength(2);
      }
      seen.add(cancelOutcome ?? '');
      expect(await p.truth(subject)).toEqual(before);
    }
    expect(seen.size).toBeGreaterThan(0);
  });
});

test('order: duplicate ConfirmOrder (the pivot) confirms once', async () => {
  const tx = uid('order');
  await order.action('cust-x', tx);
  const first = await call(h.clients.order, 'confirmOrder', { branch: branch(tx, 'confirm'), orderId: tx });
  const second = await call(h.clients.order, 'confirmOrder', { branch: branch(tx, 'confirm'), orderId: tx });
  expect([first.outcome, second.outcome]).toEqual(['APPLIED', 'DUPLICATE']);
  expect(second.order?.status).toBe('CONFIRMED');
  expect(await events(order, tx)).toEqual(['OrderCreated', 'OrderConfirmed']);
});
