/** Entry point of the outbox relay process (`npm run relay`): drains the service outboxes to Kafka until SIGINT/SIGTERM. */
import { createLogger } from '../../common/logger';
import { OutboxRelay } from './relay';

const logger = createLogger('relay-main');
const relay = OutboxRelay.start();

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'stopping outbox relay');
  const forced = setTimeout(() => process.exit(1), 15_000);
  forced.unref();
  await relay.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
