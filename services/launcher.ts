/**
 * `npm run services [-- --services order,inventory]`: runs any subset of the domain services in this process
 * (default all), each on its configured address and database. SIGINT/SIGTERM drain in-flight calls and exit.
 */
import { Command, InvalidArgumentError as CliArgumentError } from 'commander';
import { loadConfig, SERVICE_NAMES, type ServiceName } from '../common/config';
import { createLogger } from '../common/logger';
import { startService, type RunningService } from './runtime';

function parseServices(value: string): ServiceName[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const unknown = names.filter((n) => !(SERVICE_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0 || names.length === 0) {
    throw new CliArgumentError(
      `unknown service(s) "${unknown.join(',')}"; choose from ${SERVICE_NAMES.join(', ')}`,
    );
  }
  return [...new Set(names)] as ServiceName[];
}

async function main(): Promise<void> {
  const program = new Command('services')
    .description('run dtx domain services (gRPC) in one process')
    .option('--services <list>', `comma-separated subset of ${SERVICE_NAMES.join(',')}`, parseServices, [
      ...SERVICE_NAMES,
    ])
    .option('--no-migrate', 'do not run migrations on start')
    .option(
      '--grace-ms <ms>',
      'how long shutdown waits for in-flight calls',
      (v) => Number.parseInt(v, 10),
      10_000,
    )
    .parse(process.argv);
  const options = program.opts<{ services: ServiceName[]; migrate: boolean; graceMs: number }>();
  const config = loadConfig();
  const log = createLogger('launcher');

  const running: RunningService[] = [];
  let stopping = false;
  const stopAll = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: draining in-flight calls');
    await Promise.allSettled(running.map((s) => s.stop(options.graceMs)));
    log.info('all services stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stopAll('SIGINT'));
  process.on('SIGTERM', () => void stopAll('SIGTERM'));

  try {
    for (const service of options.services) {
      running.push(await startService(service, { config, migrate: options.migrate }));
    }
  } catch (err) {
    log.fatal({ err }, 'start failed');
    await Promise.allSettled(running.map((s) => s.stop(1000)));
    process.exit(1);
  }
  log.info({ services: running.map((s) => `${s.service}@${s.address}`) }, 'services running');
}

void main();
