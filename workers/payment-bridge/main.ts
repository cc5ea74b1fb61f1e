/** Entry point of the payment bridge (`npm run payment-bridge`, a part of `npm start`): runs until a signal. */
import { runProcess } from '../../common/lifecycle';
import { PaymentBridge } from './bridge';

runProcess('payment-bridge', async ({ fail }) => {
  const bridge = await PaymentBridge.start({
    onFatal: (err) => fail(err, 'payment bridge consumer stopped; exiting so a supervisor restarts it'),
  });
  return () => bridge.stop();
});
