/**
 * `npm run outbox -- status | dlq list | dlq redrive <id> | dlq redrive --all`: the outbox's lag and its dead letters,
 * over the databases the relay drains (config.relay.databaseUrls). `--json` prints machine-readable output.
 */
import { Command } from 'commander';
import { listDeadLetters, redriveAll, redriveDeadLetter } from '../workers/outbox/dead-letters';
import { getOutboxLag } from '../workers/outbox/lag';

function print(json: boolean, value: unknown, human: () => void): void {
  if (json) console.log(JSON.stringify(value, null, 2));
  else human();
}

function formatAge(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)}s`;
  return `${Math.round(ms / 60_000)}m`;
}

const program = new Command('outbox')
  .description('outbox relay status and dead letters')
  .option('--json', 'JSON output', false);

program
  .command('status')
  .description('lag per database: oldest pending age, pending, dead, blocked, sent/s')
  .action(async () => {
    const lag = await getOutboxLag();
    print(program.opts<{ json: boolean }>().json, lag, () => {
      console.table(
        lag.map((l) => ({
          database: l.database,
          'oldest pending': formatAge(l.oldestPendingAgeMs),
          pending: l.pendingCount,
          dead: l.deadCount,
          blocked: l.blockedCount,
          'sent/s (1 min)': l.sentPerSecond,
          ...(l.error ? { error: l.error } : {}),
        })),
      );
    });
    if (lag.some((l) => l.error !== undefined)) process.exitCode = 1;
  });

const dlq = program.command('dlq').description('dead letters');

dlq
  .command('list')
  .description('dead rows with their last error and how many rows wait behind each')
  .action(async () => {
    const dead = await listDeadLetters();
    print(program.opts<{ json: boolean }>().json, dead, () => {
      if (dead.length === 0) {
        console.log('no dead letters');
        return;
      }
      for (const d of dead) {
        console.log(
          `${d.id}  ${d.database}  ${d.aggregateType}/${d.aggregateId}  ${d.eventType}  attempts=${d.attempts}  blocked=${d.blockedCount}  created=${d.createdAt.toISOString()}`,
        );
        console.log(`    last error: ${d.lastError ?? '-'}`);
      }
    });
  });

dlq
  .command('redrive')
  .description(
    'put a dead row (or all with --all) back to pending with attempts reset; releases the rows behind it',
  )
  .argument('[id]', 'event id of the dead row')
  .option('--all', 'redrive every dead row', false)
  .action(async (id: string | undefined, options: { all: boolean }) => {
    const json = program.opts<{ json: boolean }>().json;
    if (options.all === (id !== undefined)) {
      console.error('give either an event id or --all');
      process.exitCode = 2;
      return;
    }
    if (options.all) {
      const redriven = await redriveAll();
      print(json, redriven, () =>
        console.log(
          `redrove ${redriven.length} dead row(s), releasing ${redriven.reduce((n, r) => n + r.released, 0)} waiting row(s)`,
        ),
      );
      return;
    }
    const redriven = await redriveDeadLetter(id as string);
    if (!redriven) {
      console.error(`no dead row with id ${id}`);
      process.exitCode = 1;
      return;
    }
    print(json, redriven, () =>
      console.log(
        `redrove ${redriven.id} in ${redriven.database}, releasing ${redriven.released} waiting row(s)`,
      ),
    );
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
