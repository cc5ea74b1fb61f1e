/** common/config.ts: the local stack as defaults, env overrides, and invalid values rejected with the var's name. */
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, DATABASE_NAMES, loadConfig, splitHostPort, type Env } from '../../common/config';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** The ConfigError that loading `env` throws (fails the test when it does not throw one). */
function configErrorOf(env: Env): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig defaults (an empty env = the local stack)', () => {
  const config = loadConfig({});

  it('points Temporal at the dev server', () => {
    expect(config.temporal).toEqual({
      address: '127.0.0.1:7233',
      namespace: 'default',
      uiUrl: 'http://127.0.0.1:8233',
      tls: undefined,
      apiKey: undefined,
    });
  });

  it('points Kafka at the single local broker, plaintext', () => {
    expect(config.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(config.kafka.ssl).toBe(false);
    expect(config.kafka.sasl).toBeUndefined();
  });

  it('gives every database its own dtx_<name> database on the local PostgreSQL', () => {
    expect(config.postgresServerUrl).toBe('postgres://postgres@127.0.0.1:5433/postgres');
    for (const db of DATABASE_NAMES) {
      expect(config.databases[db]).toBe(`postgres://postgres@127.0.0.1:5433/dtx_${db}`);
    }
  });

  it('puts the services on 50051..50054 and the API on 8080, all on loopback', () => {
    expect(config.serviceAddresses).toEqual({
      order: '127.0.0.1:50051',
      inventory: '127.0.0.1:50052',
      coupon: '127.0.0.1:50053',
      payment: '127.0.0.1:50054',
    });
    expect(config.api).toMatchObject({ host: '127.0.0.1', port: 8080, apiKey: undefined });
  });

  it('keeps tools in ~/.cache/dtx and runtime data in .dtx/ of the checkout', () => {
    expect(config.cacheDir).toBe(path.join(os.homedir(), '.cache', 'dtx'));
    expect(config.dataDir).toBe(path.join(REPO_ROOT, '.dtx'));
    expect(config.logLevel).toBe('info');
    expect(config.faults).toBe('');
  });
});

describe('loadConfig overrides', () => {
  it('moves Temporal, including TLS client certs and an API key', () => {
    const config = loadConfig({
      TEMPORAL_ADDRESS: 'dtx.a1b2c.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'dtx.a1b2c',
      TEMPORAL_UI_URL: 'https://cloud.temporal.io/',
      TEMPORAL_TLS_CERT: '/certs/client.pem',
      TEMPORAL_TLS_KEY: '/certs/client.key',
      TEMPORAL_API_KEY: 'secret',
    });
    expect(config.temporal).toEqual({
      address: 'dtx.a1b2c.tmprl.cloud:7233',
      namespace: 'dtx.a1b2c',
      uiUrl: 'https://cloud.temporal.io',
      tls: { certPath: '/certs/client.pem', keyPath: '/certs/client.key' },
      apiKey: 'secret',
    });
  });

  it('takes a list of Kafka brokers with SSL and SASL', () => {
    const config = loadConfig({
      KAFKA_BROKERS: 'b1.example.com:9093, b2.example.com:9093',
      KAFKA_SSL: 'true',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'dtx',
      KAFKA_SASL_PASSWORD: 'pw',
    });
    expect(config.kafka.brokers).toEqual(['b1.example.com:9093', 'b2.example.com:9093']);
    expect(config.kafka.ssl).toBe(true);
    expect(config.kafka.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'dtx', password: 'pw' });
  });

  it('appends the per-service database name to DTX_PG_URL, keeping its query; DTX_<DB>_DB_URL wins', () => {
    const config = loadConfig({
      DTX_PG_URL: 'postgres://dtx:pw@db.example.com:6543/postgres?sslmode=require',
      DTX_PAYMENT_DB_URL: 'postgres://pay@payments.example.com:5432/wallets',
    });
    expect(config.postgresServerUrl).toBe('postgres://dtx:pw@db.example.com:6543/postgres?sslmode=require');
    expect(config.databases.order).toBe('postgres://dtx:pw@db.example.com:6543/dtx_order?sslmode=require');
    expect(config.databases.timeline).toBe(
      'postgres://dtx:pw@db.example.com:6543/dtx_timeline?sslmode=require',
    );
    expect(config.databases.payment).toBe('postgres://pay@payments.example.com:5432/wallets');
  });

  it('moves the services, the API, the cache and the data dir (a relative DTX_DATA is inside the checkout)', () => {
    const config = loadConfig({
      DTX_INVENTORY_ADDR: '10.0.0.5:6000',
      DTX_API_PORT: '18080',
      DTX_API_KEY: 'k',
      DTX_CACHE: '/var/cache/dtx',
      DTX_DATA: 'tmp/data',
      LOG_LEVEL: 'debug',
    });
    expect(config.serviceAddresses.inventory).toBe('10.0.0.5:6000');
    expect(config.serviceAddresses.order).toBe('127.0.0.1:50051');
    expect(config.api.port).toBe(18080);
    expect(config.api.apiKey).toBe('k');
    expect(config.cacheDir).toBe('/var/cache/dtx');
    expect(config.dataDir).toBe(path.join(REPO_ROOT, 'tmp', 'data'));
    expect(config.logLevel).toBe('debug');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ TEMPORAL_ADDRESS: '', DTX_API_PORT: '' }).temporal.address).toBe('127.0.0.1:7233');
  });
});

describe('loadConfig rejects invalid values, naming the variable', () => {
  const cases: [string, Env][] = [
    ['TEMPORAL_ADDRESS', { TEMPORAL_ADDRESS: 'localhost' }],
    ['TEMPORAL_ADDRESS', { TEMPORAL_ADDRESS: '127.0.0.1:99999' }],
    ['TEMPORAL_UI_URL', { TEMPORAL_UI_URL: 'ftp://127.0.0.1:8233' }],
    ['TEMPORAL_TLS_KEY', { TEMPORAL_TLS_CERT: '/certs/client.pem' }],
    ['TEMPORAL_TLS_CERT', { TEMPORAL_TLS_KEY: '/certs/client.key' }],
    ['KAFKA_BROKERS', { KAFKA_BROKERS: '127.0.0.1:9092,broker-without-port' }],
    ['KAFKA_BROKERS', { KAFKA_BROKERS: ' , ' }],
    ['KAFKA_SSL', { KAFKA_SSL: 'maybe' }],
    ['KAFKA_SASL_MECHANISM', { KAFKA_SASL_MECHANISM: 'kerberos' }],
    ['KAFKA_SASL_USERNAME', { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_PASSWORD: 'pw' }],
    ['KAFKA_SASL_PASSWORD', { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'dtx' }],
    ['DTX_PG_URL', { DTX_PG_URL: 'not a url' }],
    ['DTX_PG_URL', { DTX_PG_URL: 'mysql://root@127.0.0.1:3306/dtx' }],
    ['DTX_ORDER_DB_URL', { DTX_ORDER_DB_URL: 'http://127.0.0.1/dtx_order' }],
    ['DTX_COUPON_ADDR', { DTX_COUPON_ADDR: '127.0.0.1' }],
    ['DTX_API_PORT', { DTX_API_PORT: '80a' }],
    ['DTX_API_PORT', { DTX_API_PORT: '70000' }],
    ['DTX_API_PORT', { DTX_API_PORT: '0' }],
    ['DTX_WORKER_MAX_ACTIVITIES', { DTX_WORKER_MAX_ACTIVITIES: '1.5' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
  ];

  it.each(cases)('%s in %j', (variable, env) => {
    const error = configErrorOf(env);
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable}: `)).toBe(true);
  });
});

describe('splitHostPort', () => {
  it('splits host:port and bracketed IPv6', () => {
    expect(splitHostPort('127.0.0.1:7233')).toEqual({ host: '127.0.0.1', port: 7233 });
    expect(splitHostPort('[::1]:9092')).toEqual({ host: '::1', port: 9092 });
  });
});

describe('TCC try deadline', () => {
  it('defaults to 10 s and follows DTX_TCC_TRY_TIMEOUT_MS', () => {
    expect(loadConfig({}).tccTryTimeoutMs).toBe(10_000);
    expect(loadConfig({ DTX_TCC_TRY_TIMEOUT_MS: '2500' }).tccTryTimeoutMs).toBe(2500);
  });

  it('rejects a value that is not a sane duration, naming the variable', () => {
    expect(configErrorOf({ DTX_TCC_TRY_TIMEOUT_MS: '0' }).variable).toBe('DTX_TCC_TRY_TIMEOUT_MS');
    expect(configErrorOf({ DTX_TCC_TRY_TIMEOUT_MS: '1.5s' }).variable).toBe('DTX_TCC_TRY_TIMEOUT_MS');
  });
});
