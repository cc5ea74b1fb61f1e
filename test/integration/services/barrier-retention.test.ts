/**
 * The barrier past its retention, and repeats that are not the same request (docs/design.md, "Retention"), over real
 * gRPC and PostgreSQL: once cleanupBarrier purged a branch's rows, its undo / confirm / cancel is decided by the
 * business record (never EMPTY when the action is on record); an empty compensation's marker survives the cleanup;
 * a repeated forward call with another request is refused IDEMPOTENCY_CONFLICT and changes nothing.
 */
import type { ServiceName } from '../../../common/config';
import { cleanupBarrier } from '../../../services/barrier';
import { call } from '../../../services/rpc/clients';
import { barrierOf, branch, failure, startHarness, uid, type Harness } from './harness';
import { participantsOf, type Participant } from './participants';

const RETENTION_DAYS = 7;

let h: Harness;
beforeAll(async () => {
  h = await startHarness(['order', 'inventory', 'coupon', 'payment']);
});
afterAll(() => h.stop());

const { inventory, coupon, payment, order } = participantsOf(() => h);

/** Ages every barrier row of `txId` past the retention and runs the services' cleanup job on that database. */
async function purgeBarrier(service: ServiceName, txId: string): Promise<void> {
  const db = h.db(service);
  await db('tx_barrier')
    .where({ tx_id: txId })
    .update({ created_at: db.raw(`now() - make_interval(days => ?)`, [RETENTION_DAYS + 1]) });
  await cleanupBarrier(db, RETENTION_DAYS);
}

describe.each([inventory, coupon, payment, order].map((p) => [p.service, p] as const))(
  '%s saga: barrier rows purged',
  (_name, p: Participant) => {
    test('the compensation still undoes the action on record (not EMPTY); a repeat is DUPLICATE', async () => {
      const subject = await p.setup();
      const before = await p.truth(subject);
      const tx = uid('order');
      expect((await p.action(subject, tx)).outcome).toBe('APPLIED');
      const applied = await p.truth(subject);
      expect(applied).not.toEqual(before);

      await purgeBarrier(p.service, tx);
      expect(await barrierOf(h.db(p.service), tx)).toEqual([]);

      expect((await p.compensate(subject, tx)).outcome).toBe('APPLIED');
      // the order keeps its row (CANCELLED); every other participant is back where it started
      if (p.service === 'order') expect(await p.truth(subject)).toEqual(['CANCELLED']);
      else expect(await p.truth(subject)).toEqual(before);
      const undone = await p.truth(subject);

      await purgeBarrier(p.service, tx);
      expect((await p.compensate(subject, tx)).outcome).toBe('DUPLICATE');
      expect(await p.truth(subject)).toEqual(undone);
    });

    test('an empty compensation keeps its marker through the cleanup: the late action is still refused', async () => {
      const subject = await p.setup();
      const before = await p.truth(subject);
      const tx = uid('order');
      expect((await p.compensate(subject, tx)).outcome).toBe('EMPTY');
      await purgeBarrier(p.service, tx);
      expect(await barrierOf(h.db(p.service), tx)).toEqual([`${p.service}:action:compensate`]);
      expect((await failure(p.action(subject, tx))).reason).toBe('ALREADY_CANCELLED');
      expect((await p.compensate(subject, tx)).outcome).toBe('EMPTY');
      expect(await p.truth(subject)).toEqual(before);
    });
  },
);

describe.each([inventory, coupon, payment].map((p) => [p.service, p] as const))(
  '%s TCC: barrier rows purged',
  (_name, p: Participant) => {
    test('confirm after the purge confirms the try on record (not TRY_NOT_APPLIED); a repeat is DUPLICATE', async () => {
      const subject = await p.setup();
      const tx = uid('order');
      expect((await p.try!(subject, tx)).outcome).toBe('APPLIED');
      await purgeBarrier(p.service, tx);
      expect((await p.confirm!(subject, tx)).outcome).toBe('APPLIED');
      const confirmed = await p.truth(subject);
      await purgeBarrier(p.service, tx);
      expect((await p.confirm!(subject, tx)).outcome).toBe('DUPLICATE');
      expect(await p.truth(subject)).toEqual(confirmed);
      // and a cancel after that confirm is refused, rows purged or not
      expect((await failure(p.cancel!(subject, tx))).reason).toBe('ALREADY_CONFIRMED');
    });

    test('cancel after the purge releases the try on record (not EMPTY); confirm after it is refused', async () => {
      const subject = await p.setup();
      const before = await p.truth(subject);
      const tx = uid('order');
      expect((await p.try!(subject, tx)).outcome).toBe('APPLIED');
      await purgeBarrier(p.service, tx);
      expect((await p.cancel!(subject, tx)).outcome).toBe('APPLIED');
      expect(await p.truth(subject)).toEqual(before);
      await purgeBarrier(p.service, tx);
      expect((await p.cancel!(subject, tx)).outcome).toBe('DUPLICATE');
      expect((await failure(p.confirm!(subject, tx))).reason).toBe('ALREADY_CANCELLED');
      expect(await p.truth(subject)).toEqual(before);
    });
  },
);

describe('a repeat with another request under the same branch', () => {
  test('payment: Charge again with another amount is IDEMPOTENCY_CONFLICT and charges nothing more', async () => {
    const customer = await payment.setup();
    const tx = uid('order');
    expect((await payment.action(customer, tx)).outcome).toBe('APPLIED');
    const charged = await payment.truth(customer);
    const other = failure(
      call(h.clients.payment, 'charge', {
        branch: branch(tx, 'payment'),
        customerId: customer,
        orderId: tx,
        amount: 1,
      }),
    );
    expect(await other).toMatchObject({ codeName: 'FAILED_PRECONDITION', reason: 'IDEMPOTENCY_CONFLICT' });
    expect(await payment.truth(customer)).toEqual(charged);
    // the same request again is still a plain duplicate
    expect((await payment.action(customer, tx)).outcome).toBe('DUPLICATE');
  });

  test('inventory: Reserve again with other items is IDEMPOTENCY_CONFLICT and reserves nothing more', async () => {
    const sku = await inventory.setup();
    const tx = uid('order');
    expect((await inventory.action(sku, tx)).outcome).toBe('APPLIED');
    const reserved = await inventory.truth(sku);
    const more = failure(
      call(h.clients.inventory, 'reserve', {
        branch: branch(tx, 'inventory'),
        orderId: tx,
        items: [{ sku, quantity: 4 }],
      }),
    );
    expect(await more).toMatchObject({ codeName: 'FAILED_PRECONDITION', reason: 'IDEMPOTENCY_CONFLICT' });
    expect(await inventory.truth(sku)).toEqual(reserved);
  });

  test('order: CreateOrder again with other lines is IDEMPOTENCY_CONFLICT and the order keeps its lines', async () => {
    const customer = await order.setup();
    const tx = uid('order');
    expect((await order.action(customer, tx)).outcome).toBe('APPLIED');
    const other = failure(
      call(h.clients.order, 'createOrder', {
        branch: branch(tx, 'order'),
        orderId: tx,
        customerId: customer,
        lines: [{ sku: 'S', quantity: 5, unitPrice: 300 }],
        txMode: 'saga',
      }),
    );
    expect(await other).toMatchObject({ codeName: 'FAILED_PRECONDITION', reason: 'IDEMPOTENCY_CONFLICT' });
    const row = await h.db('order')('orders').where({ order_id: tx }).first<{ total: string }>('total');
    expect(Number(row?.total)).toBe(600);
  });
});
