/** Entry point of the outbox relay process (`npm run relay`): drains the service outboxes to Kafka until a signal. */
import { runProcess } from '../../common/lifecycle';
import { OutboxRelay } from './relay';

runProcess('relay', () => {
  const relay = OutboxRelay.start();
  return Promise.resolve(() => relay.stop());
});
