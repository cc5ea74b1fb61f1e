/**
 * Entry point of the outbox relay process (`npm run relay`): drains the service outboxes to Kafka until a signal.
 * Its ops server (DTX_RELAY_OPS_PORT): /metrics, /healthz, /readyz (Kafka answers, every outbox database answers).
 */
// first: tracing is set up before anything it instruments loads
import './telemetry';
import { loadConfig } from '../../common/config';
import { runProcess } from '../../common/lifecycle';
import { startPartOpsServer } from '../../common/ops-server';
import { OutboxRelay } from './relay';

runProcess('relay', async ({ log }) => {
  const config = loadConfig();
  const relay = OutboxRelay.start({ config });
  const ops = await startPartOpsServer(config, 'relay', { log, checks: relay.readinessChecks() }).catch(
    async (err: unknown) => {
      await relay.stop();
      throw err;
    },
  );
  return async () => {
    await relay.stop();
    await ops?.close();
  };
});
