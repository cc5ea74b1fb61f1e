/** Fake API dependencies for unit tests of the HTTP layer: every call throws, as no rejected request may reach one. */
import type { ApiDependencies } from '../../../../api/operations/deps';

export function unreachableDeps(probe: () => Promise<void> = () => Promise.resolve()): ApiDependencies {
  const fail = () => {
    throw new Error('a rejected request reached the dependencies');
  };
  return {
    temporal: { client: new Proxy({}, { get: fail }) as never, namespace: 'default', uiUrl: 'http://ui' },
    startTransaction: fail,
    orders: { getOrder: fail },
    timeline: { getOrderTimeline: fail },
    idempotency: { claim: fail, purgeExpired: fail },
    outbox: { lag: fail, listDeadLetters: fail, redrive: fail, redriveAll: fail },
    probes: [{ name: 'fake', check: probe }],
    inFlight: { max: 1, estimate: () => 0, admit: fail },
  };
}
