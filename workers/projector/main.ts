/**
 * Entry point of the order timeline projector (`npm run projector`): runs until a signal. Its ops server
 * (DTX_PROJECTOR_OPS_PORT): /metrics, /healthz, /readyz (the consumer runs in its group, the database answers).
 */
// first: tracing is set up before anything it instruments loads
import './telemetry';
import { loadConfig } from '../../common/config';
import { runProcess } from '../../common/lifecycle';
import { startPartOpsServer } from '../../common/ops-server';
import { TimelineProjector } from './projector';

runProcess('projector', async ({ log, fail }) => {
  const config = loadConfig();
  const projector = await TimelineProjector.start({
    config,
    onFatal: (err) => fail(err, 'timeline projector consumer stopped; exiting so a supervisor restarts it'),
  });
  const ops = await startPartOpsServer(config, 'projector', {
    log,
    checks: projector.readinessChecks(),
  }).catch(async (err: unknown) => {
    await projector.stop();
    throw err;
  });
  return async () => {
    await projector.stop();
    await ops?.close();
  };
});
