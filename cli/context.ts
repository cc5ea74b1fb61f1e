/**
 * What every command gets: the printer, and the dtx dependencies (loaded and opened on first use, closed at exit; the
 * stack commands never load them).
 */
import type { Command } from 'commander';
import { loadConfig, type Config } from '../common/config';
import type { Wiring } from '../api/operations/wiring';
import { EXIT, exitCodeOf, type ExitCode } from './exit-codes';
import { createPrinter, type Printer } from './output';
import { DtxError, errorBody } from '../api/operations/errors';
import { operationsWiring } from './lazy';

export interface CommandContext {
  out: Printer;
  config: () => Config;
  /** The dtx dependencies, loaded and connected on first use. */
  deps: () => Wiring;
}

export { operations, outboxOperations } from './lazy';

interface GlobalOptions {
  json?: boolean;
}

/**
 * Wraps a command's action (which prints its result and may return a non-zero exit code): builds its context,
 * reports a failure once (stderr for people, an error body on stdout
 * under --json) and sets the exit code; the dependencies are closed either way.
 */
export function action<Args extends unknown[]>(
  run: (context: CommandContext, ...args: Args) => Promise<ExitCode | void>,
): (...args: Args) => Promise<void> {
  return async (...args: Args) => {
    const command = args[args.length - 1] as Command;
    const globals = command.optsWithGlobals<GlobalOptions>();
    const out = createPrinter(globals.json === true);
    let config: Config | undefined;
    let wiring: Wiring | undefined;
    const context: CommandContext = {
      out,
      config: () => (config ??= loadConfig()),
      deps: () => (wiring ??= operationsWiring().createDependencies(context.config())),
    };
    try {
      const exitCode = await run(context, ...args);
      if (exitCode !== undefined && exitCode !== EXIT.OK) process.exitCode = exitCode;
    } catch (error) {
      process.exitCode = report(out, error);
    } finally {
      await wiring?.close().catch(() => undefined);
    }
  };
}

function report(out: Printer, error: unknown): ExitCode {
  const code = exitCodeOf(error);
  const dtxError =
    error instanceof DtxError
      ? error
      : new DtxError(
          code === EXIT.UNAVAILABLE ? 'UNAVAILABLE' : 'INTERNAL',
          error instanceof Error ? error.message : String(error),
        );
  if (out.json) {
    out.result(errorBody(dtxError), () => '');
  } else {
    process.stderr.write(`dtx: ${dtxError.message}\n`);
    for (const field of dtxError.fields ?? []) process.stderr.write(`  ${field.path}: ${field.message}\n`);
    if (dtxError.retryAfterSeconds !== undefined)
      process.stderr.write(`  nothing was started; try again in ${dtxError.retryAfterSeconds} s\n`);
  }
  return code;
}
