/**
 * `npm start` (via scripts/start.sh): the main job. It runs its steps in order and stops at the first failure.
 * Today: bring the local stack up and print where everything is. Later steps (migrations, services, worker,
 * outbox relay, API) go into STEPS below, each a small named function.
 */
import { ConfigError, loadConfig, type Config } from '../common/config';
import { StackError, stackAddresses, stackUp } from './stack';

interface StartStep {
  name: string;
  run(config: Config): Promise<void>;
}

/** Temporal, Kafka and PostgreSQL: started if not running, waited for until they answer. */
const stackStep: StartStep = {
  name: 'stack',
  run: async (config) => {
    await stackUp({ config });
  },
};

/** Where to look: the Temporal UI first (it is what people open). */
const addressesStep: StartStep = {
  name: 'addresses',
  run: (config) => {
    const rows = stackAddresses(config);
    const width = Math.max(...rows.map((row) => row.label.length));
    process.stdout.write('\ndtx is up:\n');
    for (const { label, value } of rows) process.stdout.write(`  ${label.padEnd(width)}  ${value}\n`);
    return Promise.resolve();
  },
};

const STEPS: StartStep[] = [stackStep, addressesStep];

async function main(): Promise<void> {
  const config = loadConfig();
  for (const step of STEPS) {
    try {
      await step.run(config);
    } catch (error) {
      throw new StartFailed(step.name, error);
    }
  }
}

class StartFailed extends Error {
  constructor(
    readonly step: string,
    readonly causeError: unknown,
  ) {
    super(`npm start: step "${step}" failed`);
  }
}

main().catch((error: unknown) => {
  const step = error instanceof StartFailed ? error.step : 'config';
  const cause = error instanceof StartFailed ? error.causeError : error;
  const known = cause instanceof StackError || cause instanceof ConfigError;
  const detail =
    cause instanceof Error ? (known ? cause.message : (cause.stack ?? cause.message)) : String(cause);
  process.stderr.write(`npm start: FAILED at step "${step}"\n${detail}\n`);
  process.exit(1);
});
