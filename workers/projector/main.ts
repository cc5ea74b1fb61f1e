/** Entry point of the order timeline projector (`npm run projector`): runs until a signal. */
import { runProcess } from '../../common/lifecycle';
import { TimelineProjector } from './projector';

runProcess('projector', async ({ fail }) => {
  const projector = await TimelineProjector.start({
    onFatal: (err) => fail(err, 'timeline projector consumer stopped; exiting so a supervisor restarts it'),
  });
  return () => projector.stop();
});
