/**
 * `dtx stack up|down|status|logs [component...]`: the local PostgreSQL, Kafka and Temporal, and the optional Zipkin
 * trace viewer (the stack library).
 * `npm run stack -- <command>` runs this too.
 */
import { Argument, Command } from 'commander';
import type { ComponentName, ComponentStatus, Reporter } from '../../stack';
import { COMPONENT_NAMES, OPTIONAL_COMPONENTS } from '../../stack/component';
import { silentReporter } from '../../stack/output';
import { killActiveCommands } from '../../stack/process';
import { wholeNumber } from '../args';
import { action } from '../context';
import { EXIT } from '../exit-codes';
import { stackLibrary } from '../lazy';
import { formatTable } from '../output';

/** Progress lines for people on stderr (stdout keeps the result); none under --json. */
function reporter(json: boolean): Reporter {
  return json ? silentReporter : { line: (scope, text) => process.stderr.write(`[${scope}] ${text}\n`) };
}

function componentsArgument(): Argument {
  return new Argument(
    '[components...]',
    `only these (default: all but ${OPTIONAL_COMPONENTS.join(', ')}, which runs when named, with DTX_TRACING=1, ` +
      'or, for status/logs/down, once started)',
  ).choices(COMPONENT_NAMES);
}

/** undefined (every component) when none is named. */
function selected(components: ComponentName[]): ComponentName[] | undefined {
  return components.length > 0 ? components : undefined;
}

/**
 * While `up`/`down` run, Ctrl-C (or a SIGTERM) also stops their builds and downloads: a half-done one is never
 * trusted (its temp dir is swept by the next run); the servers already started keep running.
 */
async function interruptible<T>(task: () => Promise<T>): Promise<T> {
  const onSignal = (signal: NodeJS.Signals) => {
    killActiveCommands('SIGTERM');
    process.stderr.write(
      `dtx stack: interrupted (${signal}); started servers keep running, \`dtx stack down\` stops them\n`,
    );
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await task();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function stateOf(component: ComponentStatus): string {
  if (component.state === 'crashed') {
    return `CRASHED (${component.detail}); log ${component.logFile}; \`dtx stack up\` restarts it`;
  }
  return component.detail ? `${component.state} (${component.detail})` : component.state;
}

/** The log files are in --json and `dtx stack logs`; a crashed component's is named in its state. */
export function renderStatus(components: ComponentStatus[]): string {
  return formatTable(components, [
    { header: 'component', value: (c) => c.name },
    { header: 'pid', value: (c) => c.pid ?? '-' },
    { header: 'address', value: (c) => c.address },
    { header: 'answering', value: (c) => (c.answering ? 'yes' : 'no') },
    { header: 'state', value: stateOf },
  ]);
}

export function stackCommand(): Command {
  const stack = new Command('stack').description(
    `the local stack: PostgreSQL, Kafka, Temporal dev server, optional Zipkin (components: ${COMPONENT_NAMES.join(', ')})`,
  );

  stack
    .command('up')
    .description('start what is not running and wait until each one answers (idempotent)')
    .addArgument(componentsArgument())
    .action(
      action(async ({ out, config }, components: ComponentName[]) => {
        const { stackUp } = stackLibrary();
        const statuses = await interruptible(() =>
          stackUp({ config: config(), out: reporter(out.json), components: selected(components) }),
        );
        out.result(statuses, () => renderStatus(statuses));
      }),
    );

  stack
    .command('down')
    .description('stop (gracefully) what `up` started; servers it did not start are left alone')
    .addArgument(componentsArgument())
    .action(
      action(async ({ out, config }, components: ComponentName[]) => {
        const names = selected(components) ?? [...COMPONENT_NAMES];
        const { stackDown } = stackLibrary();
        await interruptible(() =>
          stackDown({ config: config(), out: reporter(out.json), components: names }),
        );
        out.result({ stopped: names }, () => `stack stopped: ${names.join(', ')}`);
      }),
    );

  stack
    .command('status')
    .description('pid, address, whether each one answers, crashed ones; exit 4 when one does not answer')
    .addArgument(componentsArgument())
    .action(
      action(async ({ out, config }, components: ComponentName[]) => {
        const { stackStatus } = stackLibrary();
        const statuses = await stackStatus({
          config: config(),
          out: reporter(out.json),
          components: selected(components),
        });
        out.result(statuses, () => renderStatus(statuses));
        return statuses.every((c) => c.answering) ? EXIT.OK : EXIT.UNAVAILABLE;
      }),
    );

  stack
    .command('logs')
    .description('the last lines of the logs (through tail)')
    .addArgument(componentsArgument())
    .option('-f, --follow', 'keep following them (Ctrl-C stops)')
    .option('-n, --lines <n>', 'how many lines', wholeNumber, 50)
    .action(
      action(
        async (
          { out, config },
          components: ComponentName[],
          options: { follow?: boolean; lines: number },
        ) => {
          const { stackLogs } = stackLibrary();
          const code = await stackLogs({
            config: config(),
            out: reporter(out.json),
            components: selected(components),
            follow: options.follow === true,
            lines: options.lines,
          });
          return code === 0 ? EXIT.OK : EXIT.FAILED;
        },
      ),
    );
  return stack;
}
