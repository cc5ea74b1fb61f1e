/** The worker's call and breaker settings (DTX_CALL_*, DTX_BREAKER_*): defaults, and invalid values refused by name. */
import { ConfigError, loadConfig, type Env } from '../../common/config';

function refusal(env: Env): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be refused`);
}

test('defaults', () => {
  const config = loadConfig({});
  expect(config.calls).toEqual({ deadlineMs: 2_000, hedgeAfterMs: 250 });
  expect(config.breaker).toEqual({
    enabled: true,
    failureRate: 0.8,
    windowMs: 10_000,
    minimumCalls: 20,
    cooldownMs: 5_000,
    watchUrls: ['http://127.0.0.1:9432'],
  });
});

test('valid settings are taken', () => {
  const config = loadConfig({
    DTX_CALL_DEADLINE_MS: '400',
    DTX_CALL_HEDGE_AFTER_MS: '0',
    DTX_BREAKER_ENABLED: 'false',
    DTX_BREAKER_FAILURE_RATE: '0.5',
    DTX_BREAKER_WINDOW_MS: '5000',
    DTX_BREAKER_MIN_CALLS: '5',
    DTX_BREAKER_COOLDOWN_MS: '1000',
    DTX_BREAKER_WATCH_URLS: 'http://10.0.0.1:9432/, https://w2:9432',
  });
  expect(config.calls).toEqual({ deadlineMs: 400, hedgeAfterMs: 0 });
  expect(config.breaker).toEqual({
    enabled: false,
    failureRate: 0.5,
    windowMs: 5_000,
    minimumCalls: 5,
    cooldownMs: 1_000,
    watchUrls: ['http://10.0.0.1:9432', 'https://w2:9432'],
  });
  expect(loadConfig({ DTX_BREAKER_WATCH_URLS: 'off' }).breaker.watchUrls).toEqual([]);
});

test.each<[Env, string, RegExp]>([
  [{ DTX_BREAKER_FAILURE_RATE: '1' }, 'DTX_BREAKER_FAILURE_RATE', /between 0 and 1/],
  [{ DTX_BREAKER_FAILURE_RATE: '0' }, 'DTX_BREAKER_FAILURE_RATE', /between 0 and 1/],
  [{ DTX_BREAKER_FAILURE_RATE: '50%' }, 'DTX_BREAKER_FAILURE_RATE', /between 0 and 1/],
  [{ DTX_BREAKER_FAILURE_RATE: '-0.5' }, 'DTX_BREAKER_FAILURE_RATE', /between 0 and 1/],
  [{ DTX_BREAKER_WINDOW_MS: '10s' }, 'DTX_BREAKER_WINDOW_MS', /integer/],
  [{ DTX_BREAKER_WINDOW_MS: '500' }, 'DTX_BREAKER_WINDOW_MS', /between 1000 and/],
  [{ DTX_BREAKER_MIN_CALLS: '0' }, 'DTX_BREAKER_MIN_CALLS', /between 1 and/],
  [{ DTX_BREAKER_COOLDOWN_MS: 'soon' }, 'DTX_BREAKER_COOLDOWN_MS', /integer/],
  [{ DTX_BREAKER_ENABLED: 'maybe' }, 'DTX_BREAKER_ENABLED', /true or false/],
  [{ DTX_BREAKER_WATCH_URLS: 'ftp://x:1' }, 'DTX_BREAKER_WATCH_URLS', /http/],
  [{ DTX_CALL_DEADLINE_MS: '10' }, 'DTX_CALL_DEADLINE_MS', /between 50 and/],
  [{ DTX_CALL_HEDGE_AFTER_MS: '2000' }, 'DTX_CALL_HEDGE_AFTER_MS', /below DTX_CALL_DEADLINE_MS/],
  [{ DTX_CALL_DEADLINE_MS: '300', DTX_CALL_HEDGE_AFTER_MS: '300' }, 'DTX_CALL_HEDGE_AFTER_MS', /below/],
])('%j is refused naming %s', (env, variable, why) => {
  const error = refusal(env);
  expect(error.variable).toBe(variable);
  expect(error.message).toMatch(new RegExp(`^${variable}: `));
  expect(error.message).toMatch(why);
});
