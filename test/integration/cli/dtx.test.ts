/* eslint-disable @typescript-eslint/no-unsafe-call -- outputs are parsed JSON, asserted field by field */
/**
 * The `dtx` CLI against the running system: the real bin (`node cli/dtx.js ... --json`) as a separate process,
 * with the services in this test process on ephemeral ports and an orchestrator worker on the dtx task queue.
 * Exit codes are part of the contract: 0 ok, 1 failed/refused/diverged, 2 usage, 3 not found, 4 unavailable.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SERVICE_NAMES } from '../../../common/config';
import { TASK_QUEUE } from '../../../workflows/names';
import { eventually, seed, startSystem, uid, type Catalogue, type System } from '../api/support/system';
import { runDtx } from './support/run-dtx';

const ROOT = path.resolve(__dirname, '../../..');
const CHANGED_WORKFLOWS = path.join(ROOT, 'test/integration/fixtures/changed-workflows/index.ts');

let system: System;
let shop: Catalogue;
let env: NodeJS.ProcessEnv;

/** Runs the bin with this file's environment (plus `extraEnv`). */
const dtx = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => runDtx(args, { ...env, ...extraEnv });

/** Exports a history file the way a person would, in its own process. */
function exportHistory(workflowId: string, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--require', 'tsx/cjs', path.join(__dirname, 'support/export-history.ts'), workflowId, file],
      { cwd: ROOT, env, stdio: 'inherit' },
    );
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`export-history exited ${code}`)),
    );
  });
}

beforeAll(async () => {
  system = await startSystem({ taskQueue: TASK_QUEUE });
  shop = await seed(system.clients, { stock: 10, balance: 100_000, products: 2 });
  const addresses = Object.fromEntries(
    SERVICE_NAMES.map((s) => [`DTX_${s.toUpperCase()}_ADDR`, system.config.serviceAddresses[s]]),
  );
  env = { ...process.env, ...addresses, LOG_LEVEL: 'error' };
}, 120_000);

afterAll(async () => {
  await system?.stop();
});

describe('usage', () => {
  test('--help documents the commands and the exit codes (exit 0)', async () => {
    const run = await dtx(['--help']);
    expect(run.code).toBe(0);
    for (const word of ['order', 'tx', 'replay', 'outbox', 'stack', 'Exit codes', '4  unavailable'])
      expect(run.stdout).toContain(word);
    for (const command of [
      ['order', 'place'],
      ['tx', 'retry'],
      ['replay'],
      ['outbox', 'dlq', 'redrive'],
      ['stack', 'up'],
    ]) {
      const help = await dtx([...command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: dtx ${command.join(' ')}`);
    }
  });

  test.each([
    [['order', 'place', '--item', 'A:1'], /--customer/],
    [['order', 'place', '--customer', 'c', '--item', 'A:1.5'], /whole number/],
    [['order', 'place', '--customer', 'c', '--item', 'A'], /SKU:QTY/],
    [['order', 'place', '--customer', 'c', '--item', 'A:1', '--mode', 'xa'], /choices/],
    [['tx', 'list', '--status', 'DONE'], /choices/],
    [['nope'], /unknown command/],
    [['tx'], /Usage: dtx tx/],
    [['outbox', 'dlq', 'redrive'], /either a dead row id or --all/],
    [['replay'], /exactly one of/],
  ])('dtx %j is a usage error (exit 2)', async (args, message) => {
    const run = await dtx(args);
    expect(run.code).toBe(2);
    expect(run.stderr + run.stdout).toMatch(message);
  });

  test('bad input the API would refuse is refused the same way: exit 2 naming the field', async () => {
    const run = await dtx(['order', 'place', '--customer', 'c', '--item', 'A:1', '--item', 'A:2', '--json']);
    expect(run.code).toBe(2);
    expect(run.json.error).toMatchObject({ code: 'BAD_REQUEST', fields: [{ path: 'items/1/sku' }] });
  });
});

describe('orders and transactions', () => {
  let completed: { orderId: string; workflowId: string; runId: string };
  let compensated: { orderId: string; workflowId: string };

  test('order place --wait: TCC with a coupon completes (exit 0)', async () => {
    const run = await dtx([
      'order',
      'place',
      '--customer',
      shop.customer,
      '--item',
      `${shop.skus[0]}:2`,
      '--coupon',
      shop.coupon,
      '--mode',
      'tcc',
      '--wait',
      '--json',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.json).toMatchObject({ mode: 'tcc', status: 'COMPLETED', outcome: { status: 'COMPLETED' } });
    completed = run.json;
    const order = await system
      .db('order')('orders')
      .where({ order_id: completed.orderId })
      .first<{ status: string; total: string; coupon_code: string }>();
    expect(order).toMatchObject({
      status: 'CONFIRMED',
      total: String(2 * shop.price - 200),
      coupon_code: shop.coupon,
    });
  });

  test('order place --wait: out of stock compensates (exit 1), the table says why', async () => {
    const json = await dtx([
      'order',
      'place',
      '--customer',
      shop.customer,
      '--item',
      `${shop.skus[1]}:500`,
      '--wait',
      '--json',
    ]);
    expect(json.code).toBe(1);
    expect(json.json).toMatchObject({
      mode: 'saga',
      status: 'COMPENSATED',
      outcome: { reason: 'INSUFFICIENT_STOCK' },
    });
    compensated = json.json;
    const order = await system
      .db('order')('orders')
      .where({ order_id: compensated.orderId })
      .first<{ status: string }>();
    expect(order.status).toBe('CANCELLED');

    const table = await dtx([
      'order',
      'place',
      '--customer',
      shop.customer,
      '--item',
      `${shop.skus[1]}:500`,
      '--wait',
    ]);
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/status\s+COMPENSATED/);
    expect(table.stdout).toMatch(/reason\s+INSUFFICIENT_STOCK/);
    expect(table.stdout).toMatch(/temporal ui\s+http/);
  });

  test('order place with an Idempotency-Key places once', async () => {
    const key = uid('cli-key');
    const args = [
      'order',
      'place',
      '--customer',
      shop.customer,
      '--item',
      `${shop.skus[0]}:1`,
      '--idempotency-key',
      key,
      '--wait',
      '--json',
    ];
    const first = await dtx(args);
    const second = await dtx(args);
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(second.json).toMatchObject({
      orderId: first.json.orderId,
      runId: first.json.runId,
      replayed: true,
    });
    const changed = await dtx([
      'order',
      'place',
      '--customer',
      shop.customer,
      '--item',
      `${shop.skus[0]}:3`,
      '--idempotency-key',
      key,
      '--json',
    ]);
    expect(changed.code).toBe(1);
    expect(changed.json.error).toMatchObject({ code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_REUSED' });
  });

  test('tx list filters by customer and status; tx show shows the state (exit 0), an unknown id exit 3', async () => {
    const listed = await eventually(async () => {
      const run = await dtx(['tx', 'list', '--customer', shop.customer, '--status', 'COMPENSATED', '--json']);
      return run.code === 0 && run.json.transactions.length >= 2 ? run : undefined;
    }, 'visibility lists the compensated orders');
    expect(
      listed.json.transactions.every(
        (t: { txStatus: string; customerId: string }) =>
          t.txStatus === 'COMPENSATED' && t.customerId === shop.customer,
      ),
    ).toBe(true);
    expect(listed.json.transactions.map((t: { workflowId: string }) => t.workflowId)).toContain(
      compensated.workflowId,
    );

    const table = await dtx(['tx', 'list', '--customer', shop.customer]);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^WORKFLOW\s+MODE\s+STATUS/);
    expect(table.stdout).toContain(completed.workflowId);

    const show = await dtx(['tx', 'show', completed.workflowId, '--json']);
    expect(show.code).toBe(0);
    expect(show.json).toMatchObject({
      orderId: completed.orderId,
      txState: { status: 'COMPLETED', mode: 'tcc' },
      order: { status: 'CONFIRMED' },
    });
    const byOrderId = await dtx(['order', 'show', completed.orderId]);
    expect(byOrderId.code).toBe(0);
    expect(byOrderId.stdout).toMatch(/STEP\s+STATE\s+ATTEMPTS/);

    const unknown = await dtx(['tx', 'show', uid('nope'), '--json']);
    expect(unknown.code).toBe(3);
    expect(unknown.json.error.code).toBe('NOT_FOUND');
  });

  test('tx retry / cancel of finished transactions are refused with the reason (exit 1)', async () => {
    const retryCompleted = await dtx(['tx', 'retry', completed.workflowId, '--json']);
    expect(retryCompleted.code).toBe(1);
    expect(retryCompleted.json.error.reason).toBe('NOTHING_TO_RETRY');
    const retryCompensated = await dtx(['tx', 'retry', compensated.orderId]);
    expect(retryCompensated.code).toBe(1);
    expect(retryCompensated.stderr).toMatch(/place a new order/);
    const cancel = await dtx(['tx', 'cancel', completed.workflowId, '--json']);
    expect(cancel.code).toBe(1);
    expect(cancel.json.error.reason).toBe('NOT_RUNNING');
  });

  describe('replay', () => {
    test('a real history replays OK against the current code (exit 0)', async () => {
      const run = await dtx(['replay', completed.workflowId, '--json']);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.json.outcomes).toEqual([
        { workflowId: completed.workflowId, runId: completed.runId, ok: true },
      ]);
    });

    test('every history a visibility query lists, and a history file, replay OK', async () => {
      const byQuery = await dtx(['replay', '--query', `CustomerId = '${shop.customer}'`, '--json']);
      expect(byQuery.code).toBe(0);
      expect(byQuery.json.outcomes.length).toBeGreaterThanOrEqual(3);
      expect(byQuery.json.outcomes.every((o: { ok: boolean }) => o.ok)).toBe(true);

      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dtx-replay-')), 'history.json');
      await exportHistory(compensated.workflowId, file);
      expect(JSON.parse(fs.readFileSync(file, 'utf8')).events.length).toBeGreaterThan(5);
      const byFile = await dtx(['replay', '--file', file, '--workflow-id', compensated.workflowId]);
      expect(byFile.code).toBe(0);
      expect(byFile.stdout).toMatch(/OK: 1 replayed, none diverged/);
    });

    test('a history from before a deliberate workflow change is reported as diverged, with where (exit 1)', async () => {
      const run = await dtx(['replay', completed.workflowId, '--workflows', CHANGED_WORKFLOWS, '--json']);
      expect(run.code).toBe(1);
      const [outcome] = run.json.outcomes;
      expect(outcome).toMatchObject({
        workflowId: completed.workflowId,
        ok: false,
        errorType: 'DeterminismViolationError',
      });
      expect(outcome.message).toMatch(/nondetermin/i);
      // where: the first recorded event the changed code does not match — the patch marker of the current flows
      // (the core names the change, not the event; dtx finds the marker's event in the history)
      expect(outcome.detail).toMatch(/patch marker encountered for change dtx-local-activities/);
      const history = await system.temporal.workflow.getHandle(completed.workflowId).fetchHistory();
      const marker = history.events?.find((e) => Number(e.eventId) === outcome.eventId);
      expect(marker?.markerRecordedEventAttributes?.markerName).toBe('core_patch');

      const table = await dtx(['replay', compensated.workflowId, '--workflows', CHANGED_WORKFLOWS]);
      expect(table.code).toBe(1);
      expect(table.stdout).toMatch(/DIVERGED/);
      expect(table.stdout).toMatch(/1 of 1 diverged/);
    });

    test('an unknown workflow is exit 3', async () => {
      const run = await dtx(['replay', `order-${uid('nope')}`, '--json']);
      expect(run.code).toBe(3);
    });
  });
});

describe('outbox and stack', () => {
  test('outbox status lists every service database; dlq list answers; redriving an unknown row is exit 3', async () => {
    const status = await dtx(['outbox', 'status', '--json']);
    expect(status.code).toBe(0);
    // DTX_DB_PREFIX: the tests' own databases (test_dtx_*)
    const prefix = system.config.databasePrefix;
    expect(status.json.outboxes.map((o: { database: string }) => o.database).sort()).toEqual(
      ['coupon', 'inventory', 'order', 'payment'].map((s) => `${prefix}dtx_${s}`),
    );
    const table = await dtx(['outbox', 'status']);
    expect(table.stdout.split('\n')[0]).toMatch(/^DATABASE\s+PENDING\s+DEAD\s+BLOCKED/);
    const dlq = await dtx(['outbox', 'dlq', 'list', '--json']);
    expect(dlq.code).toBe(0);
    expect(Array.isArray(dlq.json.deadLetters)).toBe(true);
    const unknown = await dtx(['outbox', 'dlq', 'redrive', '00000000-0000-4000-8000-000000000000', '--json']);
    expect(unknown.code).toBe(3);
  });

  test('stack status reports every component answering (exit 0)', async () => {
    const run = await dtx(['stack', 'status', '--json']);
    expect(run.code).toBe(0);
    const rows = run.json.map((c: { name: string; answering: boolean }) => [c.name, c.answering]);
    // the three core components always; the optional trace viewer is listed too once something started it (the
    // tracing test, or the user's `npm start -- --tracing`), so it is left out of the comparison
    expect(rows.filter(([name]: [string]) => name !== 'zipkin').sort()).toEqual([
      ['kafka', true],
      ['postgres', true],
      ['temporal', true],
    ]);
  });

  test('nothing answering is exit 4 with the reason', async () => {
    const run = await dtx(['tx', 'list', '--json'], { TEMPORAL_ADDRESS: '127.0.0.1:1' });
    expect(run.code).toBe(4);
    expect(run.json.error.code).toBe('UNAVAILABLE');
    const outbox = await dtx(['outbox', 'status', '--json'], {
      DTX_PG_URL: 'postgres://postgres@127.0.0.1:1/postgres',
    });
    // the lag of an unreadable database is reported per database, not as a crash
    expect(outbox.code).toBe(0);
    expect(outbox.json.outboxes.every((o: { error?: string }) => typeof o.error === 'string')).toBe(true);
  });
});

describe('order place --wait decided', () => {
  test('TCC: answers COMMITTING (or COMPLETED) at the decision, exit 0; the order ends CONFIRMED', async () => {
    const run = await dtx([
      'order',
      'place',
      '--customer',
      shop.customer,
      '--item',
      `${shop.skus[0]}:1`,
      '--mode',
      'tcc',
      '--wait',
      'decided',
      '--json',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.json).toMatchObject({ mode: 'tcc', replayed: false });
    expect(['COMMITTING', 'COMPLETED']).toContain(run.json.status);
    expect(run.json.decision.status).toBe(run.json.status);
    const { orderId } = run.json as { orderId: string };
    await eventually(async () => {
      const order = await system
        .db('order')('orders')
        .where({ order_id: orderId })
        .first<{ status: string } | undefined>();
      return order?.status === 'CONFIRMED' ? order : undefined;
    }, 'the order CONFIRMED');
  });

  test('a failure answers with its reason, exit 1 (table)', async () => {
    const table = await dtx([
      'order',
      'place',
      '--customer',
      shop.customer,
      '--item',
      `${shop.skus[1]}:500`,
      '--mode',
      'tcc',
      '--wait',
      'decided',
    ]);
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/status\s+COMPENSAT(ING|ED)/);
    // the tries run in parallel: whichever refuses first is the reason (500 units exceed stock and wallet)
    expect(table.stdout).toMatch(/reason\s+INSUFFICIENT_(STOCK|FUNDS)/);
  });

  test('--wait takes outcome or decided only (exit 2)', async () => {
    const run = await dtx(['order', 'place', '--customer', 'c', '--item', 'SKU:1', '--wait', 'soon']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('outcome');
  });
});
