/** `dtx tx list|show|cancel|retry`. */
import { Command, Option } from 'commander';
import { RETRY_DESCRIPTION } from '../../api/operations/retry-description';
import type { TransactionSummary } from '../../api/operations/schemas';
import type { TxMode, TxStatus } from '../../workflows/names';
import { MODE_CHOICES, orderIdOf, positiveInt, STATUS_CHOICES, workflowIdOf } from '../args';
import { action, operations } from '../context';
import { formatKeyValues, formatTable } from '../output';
import { renderOrderView } from './render';

interface ListOptions {
  status?: TxStatus;
  mode?: TxMode;
  customer?: string;
  limit: number;
  pageToken?: string;
}

function renderList(transactions: TransactionSummary[], nextPageToken: string | undefined): string {
  if (transactions.length === 0) return 'no transactions';
  const table = formatTable(transactions, [
    { header: 'workflow', value: (t) => t.workflowId },
    { header: 'mode', value: (t) => t.mode },
    { header: 'status', value: (t) => t.txStatus },
    { header: 'execution', value: (t) => t.executionStatus },
    { header: 'customer', value: (t) => t.customerId },
    { header: 'started', value: (t) => t.startTime },
  ]);
  return nextPageToken ? `${table}\n\nmore: --page-token ${nextPageToken}` : table;
}

export function txCommand(): Command {
  const tx = new Command('tx').description('list, show, cancel and retry transactions');

  tx.command('list')
    .description('list transactions from Temporal visibility (newest first)')
    .addOption(new Option('--status <status>', 'only this TxStatus').choices(STATUS_CHOICES))
    .addOption(new Option('--mode <mode>', 'only this mode').choices(MODE_CHOICES))
    .option('--customer <id>', 'only this customer')
    .option('--limit <n>', 'page size (1-100)', positiveInt, 20)
    .option('--page-token <token>', 'the next page, as printed by the previous one')
    .action(
      action(async ({ out, deps }, options: ListOptions) => {
        const { listTransactions } = operations();
        const page = await out.progress('listing transactions', () =>
          listTransactions(deps(), {
            status: options.status,
            mode: options.mode,
            customerId: options.customer,
            pageSize: Math.min(options.limit, 100),
            pageToken: options.pageToken,
          }),
        );
        out.result(page, () => renderList(page.transactions, page.nextPageToken));
      }),
    );

  tx.command('show')
    .description("a transaction's state, steps, order record and event timeline")
    .argument('<id>', 'workflow id (order-<orderId>) or order id')
    .action(
      action(async ({ out, deps, config }, id: string) => {
        const { getOrderView, getOrderTrace } = operations();
        const view = await out.progress('reading transaction', () => getOrderView(deps(), orderIdOf(id)));
        // the order's trace (placed with tracing on): its id, and its link when a viewer is known; best effort
        const trace = await getOrderTrace(deps(), orderIdOf(id), config()).catch(() => undefined);
        if (trace === undefined) {
          out.result(view, () => renderOrderView(view));
          return;
        }
        out.result({ ...view, trace }, () =>
          [
            renderOrderView(view),
            '',
            `trace: ${trace.url ?? `${trace.traceId} (set DTX_TRACE_UI_URL for a link)`}`,
          ].join('\n'),
        );
      }),
    );

  tx.command('cancel')
    .description('cancel a running transaction (it compensates or cancels what it did)')
    .argument('<id>', 'workflow id or order id')
    .action(
      action(async ({ out, deps }, id: string) => {
        const { cancelTransaction } = operations();
        const result = await out.progress('cancelling', () => cancelTransaction(deps(), workflowIdOf(id)));
        out.result(result, () =>
          formatKeyValues([
            ['workflow', result.workflowId],
            ['run', result.runId],
            ['status', result.status],
          ]),
        );
      }),
    );

  tx.command('retry')
    .description('retry a failed, timed-out or terminated transaction')
    .addHelpText('after', `\n${RETRY_DESCRIPTION}`)
    .argument('<id>', 'workflow id or order id')
    .action(
      action(async ({ out, deps }, id: string) => {
        const { retryTransaction } = operations();
        const result = await out.progress('resetting the workflow', () =>
          retryTransaction(deps(), workflowIdOf(id)),
        );
        out.result(result, () =>
          formatKeyValues([
            ['workflow', result.workflowId],
            ['previous run', `${result.previousRunId} (${result.previousExecutionStatus})`],
            ['reset to event', result.resetToEventId],
            ['new run', result.runId],
            ['temporal ui', result.links.temporalUi],
          ]),
        );
      }),
    );
  return tx;
}
