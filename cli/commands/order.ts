/** `dtx order place|show`. */
import { Command, InvalidArgumentError, Option } from 'commander';
import type { WaitFor } from '../../api/operations/orders';
import { COMMITTING } from '../../workflows/names';
import type { PlaceOrderResponse } from '../../api/operations/schemas';
import { collectItem, MODE_CHOICES, orderIdOf, positiveInt, type ItemArg } from '../args';
import { action, operations } from '../context';
import { EXIT } from '../exit-codes';
import { formatKeyValues } from '../output';
import { renderOrderView } from './render';

interface PlaceOptions {
  customer: string;
  item: ItemArg[];
  coupon?: string;
  mode: string;
  /** true (bare --wait) or 'outcome': the outcome; 'decided': the decision (COMMITTING, COMPENSATING or final). */
  wait?: true | WaitFor;
  timeout: number;
  idempotencyKey?: string;
}

/** `--wait [until]`: bare → the outcome; `outcome` or `decided` as `?wait=` takes them. */
function waitUntil(value: string | undefined): true | WaitFor {
  if (value === undefined) return true;
  if (value === 'outcome' || value === 'decided') return value;
  throw new InvalidArgumentError('expected "outcome" or "decided"');
}

function renderPlacement(result: PlaceOrderResponse): string {
  return formatKeyValues([
    ['order', result.orderId],
    ['workflow', result.workflowId],
    ['run', result.runId],
    ['mode', result.mode],
    ['status', result.status],
    ['reason', result.outcome?.reason ?? result.decision?.reason],
    ['failed step', result.outcome?.failedStep ?? result.decision?.failedStep],
    ['decided at', result.decision?.decidedAt],
    ['replayed', result.replayed ? 'yes (same Idempotency-Key and request)' : undefined],
    ['temporal ui', result.links.temporalUi],
  ]);
}

export function orderCommand(): Command {
  const order = new Command('order').description('place and show orders');

  order
    .command('place')
    .description('place an order as a distributed transaction (prices come from the catalogue)')
    .requiredOption('--customer <id>', 'customer id')
    .requiredOption(
      '--item <sku:qty>',
      'an order line, repeatable: --item SKU-1:2 --item SKU-2:1',
      collectItem,
    )
    .option('--coupon <code>', 'coupon code to redeem')
    .addOption(new Option('--mode <mode>', 'transaction protocol').choices(MODE_CHOICES).default('saga'))
    .option(
      '--wait [until]',
      'wait for the outcome (exit 1 unless it COMPLETED); --wait decided: only until the outcome is decided ' +
        '(exit 0 for COMMITTING or COMPLETED, 1 for an undo)',
      waitUntil,
    )
    .option('--timeout <seconds>', 'how long --wait waits', positiveInt, 60)
    .option('--idempotency-key <key>', 'the same key and request place the order once')
    .action(
      action(async ({ out, deps }, options: PlaceOptions) => {
        const { placeAdmittedOrder } = operations();
        const result = await out.progress(
          options.wait === 'decided'
            ? 'placing order and waiting for its decision'
            : options.wait
              ? 'placing order and waiting for its outcome'
              : 'placing order',
          () =>
            placeAdmittedOrder(deps(), {
              body: {
                customerId: options.customer,
                items: options.item,
                mode: options.mode,
                ...(options.coupon !== undefined ? { couponCode: options.coupon } : {}),
              },
              idempotencyKey: options.idempotencyKey,
              waitMs: options.wait ? options.timeout * 1000 : 0,
              waitFor: options.wait === 'decided' ? 'decided' : 'outcome',
            }),
        );
        out.result(result, () => renderPlacement(result));
        if (!options.wait) return EXIT.OK;
        if (options.wait === 'decided' && result.status === COMMITTING) return EXIT.OK;
        if (result.outcome === undefined && result.decision === undefined)
          out.note(`still running after ${options.timeout} s`);
        return result.outcome?.status === 'COMPLETED' ? EXIT.OK : EXIT.FAILED;
      }),
    );

  order
    .command('show')
    .description("an order's transaction state, record and event timeline (same as `dtx tx show`)")
    .argument('<id>', 'order id or workflow id (order-<orderId>)')
    .action(
      action(async ({ out, deps }, id: string) => {
        const { getOrderView } = operations();
        const view = await out.progress('reading order', () => getOrderView(deps(), orderIdOf(id)));
        out.result(view, () => renderOrderView(view));
      }),
    );
  return order;
}
