/** The `dtx` CLI: one command group per file in commands/, every operation shared with the HTTP API. */
import { Command, CommanderError } from 'commander';
import { breakersCommand } from './commands/breakers';
import { orderCommand } from './commands/order';
import { outboxCommand } from './commands/outbox';
import { replayCommand } from './commands/replay';
import { stackCommand } from './commands/stack';
import { txCommand } from './commands/tx';
import { EXIT, EXIT_CODES_HELP } from './exit-codes';

const EXAMPLES = `Examples:
  dtx stack up
  dtx order place --customer alice --item SKU-1:2 --item SKU-2:1 --coupon SAVE10 --mode tcc --wait
  dtx tx list --status COMPENSATED --mode saga
  dtx tx show order-<orderId>
  dtx replay --query "TxStatus = 'COMPLETED'"
  dtx outbox dlq redrive --all
  dtx breakers`;

/** Builds the program; nothing connects until a command runs. */
export function buildProgram(): Command {
  const program = new Command('dtx')
    .description('dtx: distributed transactions (Saga and TCC over Temporal) — place, inspect, retry, replay')
    .option('--json', 'machine-readable output on stdout (errors too, as {"error": {...}})')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .addHelpText(
      'after',
      `\n${EXAMPLES}\n\n${EXIT_CODES_HELP}\n\nConfiguration comes from the environment (TEMPORAL_ADDRESS, DTX_PG_URL, ...; see the README).`,
    );
  for (const command of [
    orderCommand(),
    txCommand(),
    replayCommand(),
    outboxCommand(),
    stackCommand(),
    breakersCommand(),
  ]) {
    program.addCommand(command);
  }
  // every subcommand exits through the same override and shows the exit codes in its help
  const configure = (command: Command) => {
    command.exitOverride().showHelpAfterError('(run with --help for usage)');
    command.commands.forEach(configure);
  };
  program.commands.forEach(configure);
  return program;
}

/** Runs the CLI and returns its exit code (usage errors → 2, help → 0). */
export async function main(argv: string[]): Promise<number> {
  // stdout carries results only (scripts parse --json): library chatter (e.g. knex's connection errors) goes to stderr
  console.log = console.error;
  console.info = console.error;
  console.debug = console.error;
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.OK;
      // everything else is a usage error, including a group without its subcommand (commander shows its help)
      return EXIT.USAGE;
    }
    process.stderr.write(`dtx: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.FAILED;
  }
  return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
}
