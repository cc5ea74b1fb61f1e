/** `dtx stack up|down|status`: the local PostgreSQL, Kafka and Temporal (the stack manager's library). */
import { Command } from 'commander';
import { stackDown, stackStatus, stackUp, silentReporter, type Reporter } from '../../stack';
import type { ComponentStatus } from '../../stack';
import { action } from '../context';
import { EXIT } from '../exit-codes';
import { formatTable } from '../output';

/** Progress lines for people on stderr (stdout keeps the result); none under --json. */
function reporter(json: boolean): Reporter {
  return json ? silentReporter : { line: (scope, text) => process.stderr.write(`[${scope}] ${text}\n`) };
}

function renderStatus(components: ComponentStatus[]): string {
  return formatTable(components, [
    { header: 'component', value: (c) => c.name },
    { header: 'address', value: (c) => c.address },
    { header: 'state', value: (c) => c.state },
    { header: 'answering', value: (c) => (c.answering ? 'yes' : 'no') },
    { header: 'pid', value: (c) => c.pid },
    { header: 'log', value: (c) => c.logFile },
  ]);
}

export function stackCommand(): Command {
  const stack = new Command('stack').description('the local stack: PostgreSQL, Kafka, Temporal dev server');

  stack
    .command('up')
    .description('start what is not running and wait until everything answers (idempotent)')
    .action(
      action(async ({ out, config }) => {
        const components = await stackUp({ config: config(), out: reporter(out.json) });
        out.result(components, () => renderStatus(components));
      }),
    );

  stack
    .command('down')
    .description('stop what the stack started (external servers are left alone)')
    .action(
      action(async ({ out, config }) => {
        await stackDown({ config: config(), out: reporter(out.json) });
        out.result({ stopped: true }, () => 'stack stopped');
      }),
    );

  stack
    .command('status')
    .description('what runs and answers; exit 4 when a component does not answer')
    .action(
      action(async ({ out, config }) => {
        const components = await stackStatus({ config: config(), out: reporter(out.json) });
        out.result(components, () => renderStatus(components));
        return components.every((c) => c.answering) ? EXIT.OK : EXIT.UNAVAILABLE;
      }),
    );
  return stack;
}
