/** The API process: `npm run api`. Listens on DTX_API_HOST:DTX_API_PORT, shuts down cleanly on SIGINT/SIGTERM. */
import { loadConfig } from '../../common/config';
import { createLogger } from '../../common/logger';
import { buildApp } from './server';
import { createDependencies } from '../operations/wiring';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('api');
  const deps = createDependencies(config);
  const app = await buildApp({ deps, apiKey: config.api.apiKey, logger });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    app
      .close()
      .then(() => deps.close())
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  const address = await app.listen({ host: config.api.host, port: config.api.port });
  logger.info(
    { address, docs: `${address}/docs`, auth: config.api.apiKey !== undefined },
    'dtx API listening',
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
