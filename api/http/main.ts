/** The API process: `npm run api`. Listens on DTX_API_HOST:DTX_API_PORT, shuts down cleanly on a signal. */
// first: tracing is set up before anything it instruments loads
import './telemetry';
import { loadConfig } from '../../common/config';
import { runProcess } from '../../common/lifecycle';
import { buildApp } from './server';
import { createDependencies } from '../operations/wiring';

const PURGE_EVERY_MS = 60 * 60_000;

runProcess(
  'api',
  async ({ log }) => {
    const config = loadConfig();
    const deps = createDependencies(config);
    const app = await buildApp({ deps, apiKey: config.api.apiKey, logger: log });
    const address = await app.listen({ host: config.api.host, port: config.api.port });
    log.info(
      { address, docs: `${address}/docs`, auth: config.api.apiKey !== undefined },
      'dtx API listening',
    );
    // Idempotency-Key records past their retention go hourly (the first pass a minute after start)
    const purge = () =>
      deps.idempotency.purgeExpired().then(
        (purged) => purged > 0 && log.info({ purged }, 'expired Idempotency-Key records deleted'),
        (err: unknown) => log.warn({ err }, 'Idempotency-Key purge failed; retried in an hour'),
      );
    const first = setTimeout(() => void purge(), 60_000).unref();
    const hourly = setInterval(() => void purge(), PURGE_EVERY_MS).unref();
    return async () => {
      clearTimeout(first);
      clearInterval(hourly);
      await app.close();
      await deps.close();
    };
  },
  // below the supervisor's 10 s: in-flight requests (a ?wait=true waits up to 30 s) are cut rather than killed
  { graceMs: 8_000 },
);
