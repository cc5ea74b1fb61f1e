/** Entry point of the payment provider simulator (`npm run provider`, a part of `npm start`): runs until a signal. */
import { runProcess } from '../common/lifecycle';
import { ProviderSimulator } from './simulator';

runProcess('payment-provider', async () => {
  const simulator = await ProviderSimulator.start();
  return () => simulator.stop();
});
