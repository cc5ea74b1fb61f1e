/**
 * `npm run services [-- --services order,inventory]`: runs any subset of the domain services in this process
 * (default all), each on its configured address and database, plus one ops server (DTX_SERVICES_OPS_PORT: /metrics,
 * /healthz, /readyz). SIGINT/SIGTERM/SIGHUP drain in-flight calls and exit.
 */
// first: tracing is set up before anything it instruments loads
import './telemetry';
import { Command, InvalidArgumentError as CliArgumentError } from 'commander';
import { loadConfig, SERVICE_NAMES, type ServiceName } from '../common/config';
import { runProcess } from '../common/lifecycle';
import { startPartOpsServer } from '../common/ops-server';
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

const options = new Command('services')
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
  .parse(process.argv)
  .opts<{ services: ServiceName[]; migrate: boolean; graceMs: number }>();

runProcess(
  'launcher',
  async ({ log }) => {
    const config = loadConfig();
    const running: RunningService[] = [];
    const stopAll = async (graceMs: number) => {
      await Promise.allSettled(running.map((s) => s.stop(graceMs)));
    };
    try {
      for (const service of options.services) {
        running.push(await startService(service, { config, migrate: options.migrate }));
      }
    } catch (err) {
      await stopAll(1000);
      throw err;
    }
    // ready while every service's database answers (what its gRPC health reports too)
    const checks = Object.fromEntries(
      running.map((s) => [`${s.service}Database`, () => s.db.raw('select 1').then(() => true)]),
    );
    const ops = await startPartOpsServer(config, 'services', { log, checks }).catch(async (err: unknown) => {
      await stopAll(1000);
      throw err;
    });
    log.info(
      { services: running.map((s) => `${s.service}@${s.address}`), ops: ops?.url },
      'services running',
    );
    return async () => {
      await stopAll(options.graceMs);
      await ops?.close();
    };
  },
  // the drain is bounded by --grace-ms; the rest is closing pools
  { graceMs: options.graceMs + 5_000 },
);
