/** Entry point of the order timeline projector (`npm run projector`): runs until SIGINT/SIGTERM. */
import { createLogger } from '../../common/logger';
import { TimelineProjector } from './projector';

const logger = createLogger('projector-main');

async function main(): Promise<void> {
  const projector = await TimelineProjector.start({
    onFatal: () => {
      logger.fatal('timeline projector consumer stopped; exiting so a supervisor restarts it');
      process.exit(1);
    },
  });
  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping timeline projector');
    const forced = setTimeout(() => process.exit(1), 15_000);
    forced.unref();
    await projector.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  logger.fatal(
    { err: error instanceof Error ? error.message : String(error) },
    'timeline projector failed to start',
  );
  process.exit(1);
});
