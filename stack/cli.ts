/** `npm run stack -- up|down|status|logs [component...] [-f] [-n N]`: the local stack from the command line. */
import { ConfigError } from '../common/config';
import {
  COMPONENT_NAMES,
  StackError,
  stackDown,
  stackLogs,
  stackStatus,
  stackUp,
  type ComponentName,
  type ComponentStatus,
} from './index';
import { killActiveCommands } from './process';

const USAGE = `usage: npm run stack -- <command> [component...]
  up       start what is not running and wait until everything answers
  down     stop what \`up\` started (gracefully)
  status   component, pid, address, answering, crashed
  logs     last lines of the logs (-n N lines, -f to follow)
components: ${COMPONENT_NAMES.join(', ')} (default: all)`;

class UsageError extends Error {}

interface Args {
  command: 'up' | 'down' | 'status' | 'logs';
  components?: ComponentName[];
  follow: boolean;
  lines: number;
}

function parseArgs(argv: string[]): Args {
  const [command, ...rest] = argv;
  if (command !== 'up' && command !== 'down' && command !== 'status' && command !== 'logs') {
    throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
  }
  const components: ComponentName[] = [];
  let follow = false;
  let lines = 50;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (command === 'logs' && (arg === '-f' || arg === '--follow')) follow = true;
    else if (command === 'logs' && (arg === '-n' || arg === '--lines')) {
      lines = Number(rest[++i]);
      if (!Number.isInteger(lines) || lines < 0) throw new UsageError(`${arg} needs a number`);
    } else if ((COMPONENT_NAMES as readonly string[]).includes(arg)) components.push(arg as ComponentName);
    else throw new UsageError(`unknown component or option "${arg}"`);
  }
  return { command, components: components.length > 0 ? components : undefined, follow, lines };
}

function printStatus(statuses: ComponentStatus[]): void {
  const rows = [
    ['component', 'pid', 'address', 'answering', 'state'],
    ...statuses.map((s) => [
      s.name,
      s.pid === undefined ? '-' : String(s.pid),
      s.address,
      s.answering ? 'yes' : 'no',
      s.state === 'crashed'
        ? `CRASHED (${s.detail}); log ${s.logFile}; \`up\` restarts it`
        : `${s.state}${s.detail ? ` (${s.detail})` : ''}`,
    ]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  for (const row of rows) {
    process.stdout.write(
      `${row
        .map((cell, column) => cell.padEnd(widths[column]))
        .join('  ')
        .trimEnd()}\n`,
    );
  }
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  switch (args.command) {
    case 'up':
      await stackUp({ components: args.components });
      return 0;
    case 'down':
      await stackDown({ components: args.components });
      return 0;
    case 'status': {
      const statuses = await stackStatus({ components: args.components });
      printStatus(statuses);
      return statuses.every((s) => s.answering) ? 0 : 1;
    }
    case 'logs':
      return stackLogs({ components: args.components, follow: args.follow, lines: args.lines });
  }
}

// Interrupted: stop our builds/fetches too (a half-done build is never trusted, its temp dir is swept later).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killActiveCommands('SIGTERM');
    process.stderr.write(
      `stack: interrupted (${signal}); started servers keep running, \`down\` stops them\n`,
    );
    process.exit(130);
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) process.stderr.write(`${error.message}\n${USAGE}\n`);
    else if (error instanceof StackError || error instanceof ConfigError) {
      process.stderr.write(`stack: FAILED\n${error.message}\n`);
    } else
      process.stderr.write(
        `stack: FAILED\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
