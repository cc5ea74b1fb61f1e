/** `dtx outbox status`, `dtx outbox dlq list|redrive`. */
import { Command } from 'commander';
import { action, operations, outboxOperations } from '../context';
import { badRequest } from '../../api/operations/errors';
import { formatTable } from '../output';

export function outboxCommand(): Command {
  const outbox = new Command('outbox').description('outbox lag and dead letters');

  outbox
    .command('status')
    .description('rows waiting to be relayed to Kafka, per service')
    .action(
      action(async ({ out, deps }) => {
        const { outboxStatus } = operations();
        const { describeHorizonHolder } = outboxOperations();
        const status = await out.progress('reading outboxes', () => outboxStatus(deps()));
        // committed rows wait for the oldest open transaction of the cluster (the relay's visibility horizon)
        const waiting = status.outboxes.flatMap((o) =>
          o.waitingOn ? [`${o.database}: relay waiting on ${describeHorizonHolder(o.waitingOn)}`] : [],
        );
        out.result(status, () =>
          [
            formatTable(status.outboxes, [
              { header: 'database', value: (o) => o.database },
              { header: 'pending', value: (o) => o.pendingCount },
              { header: 'dead', value: (o) => o.deadCount },
              { header: 'blocked', value: (o) => o.blockedCount },
              {
                header: 'oldest pending',
                value: (o) => (o.pendingCount === 0 ? '' : `${(o.oldestPendingAgeMs / 1000).toFixed(1)} s`),
              },
              { header: 'sent/s', value: (o) => o.sentPerSecond },
              { header: 'error', value: (o) => o.error },
            ]),
            ...waiting,
          ].join('\n'),
        );
      }),
    );

  const dlq = outbox.command('dlq').description('dead letters: rows the relay gave up on');
  dlq
    .command('list')
    .description('list dead rows of every service, a page at a time')
    .option('--limit <n>', 'dead letters per page (1-1000, default 100)')
    .option('--after <cursor>', 'the next page: the cursor the previous page printed')
    .action(
      action(async ({ out, deps }, options: { limit?: string; after?: string }) => {
        if (options.limit !== undefined && !/^([1-9][0-9]{0,2}|1000)$/.test(options.limit))
          throw badRequest(`--limit must be 1-1000, got "${options.limit}"`);
        const page = {
          ...(options.limit !== undefined ? { limit: Number(options.limit) } : {}),
          ...(options.after !== undefined ? { after: options.after } : {}),
        };
        const { listDeadLetters } = operations();
        const list = await out.progress('reading dead letters', () => listDeadLetters(deps(), page));
        const more =
          list.nextCursor === undefined ? '' : `\nmore: dtx outbox dlq list --after ${list.nextCursor}`;
        out.result(list, () =>
          list.deadLetters.length === 0
            ? 'no dead letters'
            : formatTable(list.deadLetters, [
                { header: 'id', value: (d) => d.id },
                { header: 'database', value: (d) => d.database },
                { header: 'event', value: (d) => d.eventType },
                { header: 'aggregate', value: (d) => `${d.aggregateType}/${d.aggregateId}` },
                { header: 'attempts', value: (d) => d.attempts },
                { header: 'blocked', value: (d) => d.blockedCount },
                { header: 'last error', value: (d) => d.lastError },
              ]) + more,
        );
      }),
    );
  dlq
    .command('redrive')
    .description('send a dead row again (the rows queued behind it follow)')
    .argument('[id]', 'dead row id (see `dtx outbox dlq list`)')
    .option('--all', 'redrive every dead row')
    .action(
      action(async ({ out, deps }, id: string | undefined, options: { all?: boolean }) => {
        if ((id === undefined) === (options.all !== true))
          throw badRequest('give either a dead row id or --all');
        const { redriveDeadLetter, redriveAllDeadLetters } = operations();
        const result = await out.progress('redriving', () =>
          id !== undefined ? redriveDeadLetter(deps(), id) : redriveAllDeadLetters(deps()),
        );
        out.result(result, () =>
          result.redriven.length === 0
            ? 'nothing to redrive'
            : result.redriven
                .map((r) => `redriven ${r.id} (${r.database}; ${r.released} waiting behind it released)`)
                .join('\n'),
        );
      }),
    );
  return outbox;
}
