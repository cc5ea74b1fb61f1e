/**
 * The names that keep `npm test` apart from a running `npm start`: the defaults are unchanged (npm start's), the
 * prefixes and the namespace are validated, and the tests' guard refuses the shop's own names.
 */
import { ConfigError, DATABASE_NAMES, loadConfig } from '../../common/config';
import { consumerGroupId, eventTopics, topicFor } from '../../outbox/topics';
import { TIMELINE_GROUP_ID } from '../../workers/projector/projector';
import { assertApartFromStart, SharedNamesError, TEST_NAMES } from '../support/env';

describe('defaults: the names npm start has always used', () => {
  const config = loadConfig({});

  test('databases dtx_<db>, namespace default, topics dtx.<aggregate>.events, group dtx-timeline-projector', () => {
    expect(config.databasePrefix).toBe('');
    for (const db of DATABASE_NAMES)
      expect(config.databases[db]).toBe(`postgres://postgres@127.0.0.1:5433/dtx_${db}`);
    expect(config.temporal.namespace).toBe('default');
    expect(config.kafka.namePrefix).toBe('');
    expect(eventTopics(config.kafka.namePrefix)).toEqual([
      'dtx.order.events',
      'dtx.inventory.events',
      'dtx.coupon.events',
      'dtx.payment.events',
    ]);
    expect(consumerGroupId(TIMELINE_GROUP_ID, config.kafka.namePrefix)).toBe('dtx-timeline-projector');
  });
});

describe('the test names', () => {
  const config = loadConfig({ ...TEST_NAMES });

  test('every database, the namespace, the topics and the projector group are their own', () => {
    for (const db of DATABASE_NAMES)
      expect(config.databases[db]).toBe(`postgres://postgres@127.0.0.1:5433/test_dtx_${db}`);
    expect(config.temporal.namespace).toBe('dtx-test');
    expect(topicFor('order', config.kafka.namePrefix)).toBe('test.dtx.order.events');
    expect(consumerGroupId(TIMELINE_GROUP_ID, config.kafka.namePrefix)).toBe('test.dtx-timeline-projector');
    expect(() => assertApartFromStart(config)).not.toThrow();
  });

  test('an explicit database URL still wins over DTX_DB_PREFIX', () => {
    const url = 'postgres://postgres@127.0.0.1:5433/elsewhere';
    expect(loadConfig({ ...TEST_NAMES, DTX_ORDER_DB_URL: url }).databases.order).toBe(url);
  });
});

describe('the guard refuses the shop’s names', () => {
  test('with nothing set, it names all three', () => {
    expect(() => assertApartFromStart(loadConfig({}))).toThrow(SharedNamesError);
    expect(() => assertApartFromStart(loadConfig({}))).toThrow(
      /namespace "default".*Kafka topics dtx\.<aggregate>\.events.*databases dtx_order, dtx_inventory/,
    );
  });

  test.each([
    ['TEMPORAL_NAMESPACE', { TEMPORAL_NAMESPACE: 'default' }, /namespace "default"/],
    ['DTX_KAFKA_PREFIX', { DTX_KAFKA_PREFIX: '' }, /Kafka topics/],
    ['DTX_DB_PREFIX', { DTX_DB_PREFIX: '' }, /databases dtx_order/],
    [
      'one database URL',
      { DTX_PAYMENT_DB_URL: 'postgres://postgres@127.0.0.1:5433/dtx_payment' },
      /databases dtx_payment \(/,
    ],
  ])('%s pointing at the shop is refused', (_name, env, message) => {
    const config = loadConfig({ ...TEST_NAMES, ...env });
    expect(() => assertApartFromStart(config)).toThrow(message);
  });
});

describe('validation', () => {
  test.each([
    ['DTX_DB_PREFIX', 'Test_'],
    ['DTX_DB_PREFIX', '1st_'],
    ['DTX_DB_PREFIX', 'a-b'],
    ['DTX_DB_PREFIX', 'x'.repeat(41)],
    ['DTX_KAFKA_PREFIX', 'a_b.'],
    ['DTX_KAFKA_PREFIX', 'a b'],
    ['TEMPORAL_NAMESPACE', 'has space'],
    ['TEMPORAL_NAMESPACE', '-dash-first'],
    ['TEMPORAL_NAMESPACE', 'x'],
  ])('%s=%j is refused, naming the variable', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(`^${variable}: `));
  });

  test.each([
    ['DTX_DB_PREFIX', 'ci_42_'],
    ['DTX_KAFKA_PREFIX', 'ci-42.'],
    ['TEMPORAL_NAMESPACE', 'shop.a1b2c'],
  ])('%s=%j is accepted', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).not.toThrow();
  });
});
