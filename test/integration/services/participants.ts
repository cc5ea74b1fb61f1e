/** The four services as barrier participants (forward call, its undo, TCC calls, business truth), for barrier tests. */
import type { ServiceName } from '../../../common/config';
import { call } from '../../../services/rpc/clients';
import { branch, uid, type Harness } from './harness';

/** The reason every undo/confirm/cancel of these tests gives. */
export const reason = 'test';

export type Call = (subject: string, txId: string) => Promise<{ outcome?: string }>;

export interface Participant {
  service: ServiceName;
  /** Creates a fresh subject (sku, coupon code, customer, order id) and returns its id. */
  setup(): Promise<string>;
  action: Call;
  compensate: Call;
  try?: Call;
  confirm?: Call;
  cancel?: Call;
  /** The subject's business state, read from the database. */
  truth(subject: string): Promise<unknown>;
}

/** The participants, calling the services of the harness (read when called: it starts in beforeAll). */
export function participantsOf(harness: () => Harness): Record<ServiceName, Participant> {
  const inventory: Participant = {
    service: 'inventory',
    async setup() {
      const sku = uid('SKU');
      await call(harness().clients.inventory, 'upsertProduct', { sku, name: sku, unitPrice: 100 });
      await call(harness().clients.inventory, 'setStock', { sku, available: 10 });
      return sku;
    },
    action: (sku, tx) =>
      call(harness().clients.inventory, 'reserve', {
        branch: branch(tx, 'inventory'),
        orderId: tx,
        items: [{ sku, quantity: 3 }],
      }),
    compensate: (_sku, tx) =>
      call(harness().clients.inventory, 'release', { branch: branch(tx, 'inventory'), reason }),
    try: (sku, tx) =>
      call(harness().clients.inventory, 'tryReserve', {
        branch: branch(tx, 'inventory'),
        orderId: tx,
        items: [{ sku, quantity: 3 }],
      }),
    confirm: (_sku, tx) =>
      call(harness().clients.inventory, 'confirmReserve', { branch: branch(tx, 'inventory'), reason }),
    cancel: (_sku, tx) =>
      call(harness().clients.inventory, 'cancelReserve', { branch: branch(tx, 'inventory'), reason }),
    async truth(sku) {
      const row = await harness()
        .db('inventory')('stock')
        .where({ sku })
        .first('available', 'frozen', 'sold');
      return { available: Number(row.available), frozen: Number(row.frozen), sold: Number(row.sold) };
    },
  };

  const coupon: Participant = {
    service: 'coupon',
    async setup() {
      const code = uid('CPN');
      await call(harness().clients.coupon, 'issueCoupon', { code, discountType: 'FIXED', amountOff: 500 });
      return code;
    },
    action: (code, tx) =>
      call(harness().clients.coupon, 'redeem', {
        branch: branch(tx, 'coupon'),
        code,
        customerId: 'c1',
        orderId: tx,
        orderAmount: 2000,
      }),
    compensate: (_code, tx) =>
      call(harness().clients.coupon, 'restore', { branch: branch(tx, 'coupon'), reason }),
    try: (code, tx) =>
      call(harness().clients.coupon, 'tryLock', {
        branch: branch(tx, 'coupon'),
        code,
        customerId: 'c1',
        orderId: tx,
        orderAmount: 2000,
      }),
    confirm: (_code, tx) =>
      call(harness().clients.coupon, 'confirm', { branch: branch(tx, 'coupon'), reason }),
    cancel: (_code, tx) => call(harness().clients.coupon, 'cancel', { branch: branch(tx, 'coupon'), reason }),
    async truth(code) {
      const row = await harness().db('coupon')('coupons').where({ code }).first('state', 'tx_id');
      return { state: row.state, tx: row.tx_id === null ? null : 'held' };
    },
  };

  const payment: Participant = {
    service: 'payment',
    async setup() {
      const customerId = uid('cust');
      await call(harness().clients.payment, 'credit', {
        branch: branch(uid('credit'), 'credit'),
        customerId,
        amount: 10_000,
      });
      return customerId;
    },
    action: (customerId, tx) =>
      call(harness().clients.payment, 'charge', {
        branch: branch(tx, 'payment'),
        customerId,
        orderId: tx,
        amount: 2500,
      }),
    compensate: (_c, tx) =>
      call(harness().clients.payment, 'refund', { branch: branch(tx, 'payment'), reason }),
    try: (customerId, tx) =>
      call(harness().clients.payment, 'tryFreeze', {
        branch: branch(tx, 'payment'),
        customerId,
        orderId: tx,
        amount: 2500,
      }),
    confirm: (_c, tx) =>
      call(harness().clients.payment, 'confirm', { branch: branch(tx, 'payment'), reason }),
    cancel: (_c, tx) => call(harness().clients.payment, 'cancel', { branch: branch(tx, 'payment'), reason }),
    async truth(customerId) {
      const row = await harness()
        .db('payment')('wallets')
        .where({ customer_id: customerId })
        .first('balance', 'frozen');
      return { balance: Number(row.balance), frozen: Number(row.frozen) };
    },
  };

  // order: CreateOrder is the action, CancelOrder its compensation; the subject is the customer, the order id = tx id
  const order: Participant = {
    service: 'order',
    setup: () => Promise.resolve(uid('cust')),
    action: (customerId, tx) =>
      call(harness().clients.order, 'createOrder', {
        branch: branch(tx, 'order'),
        orderId: tx,
        customerId,
        lines: [{ sku: 'S', quantity: 2, unitPrice: 300 }],
        txMode: 'saga',
      }),
    compensate: (_c, tx) =>
      call(harness().clients.order, 'cancelOrder', { branch: branch(tx, 'order'), orderId: tx, reason }),
    async truth(customerId) {
      const rows = await harness()
        .db('order')('orders')
        .where({ customer_id: customerId })
        .orderBy('order_id')
        .select('status');
      return rows.map((r: { status: string }) => r.status);
    },
  };

  return { inventory, coupon, payment, order };
}
