/** DTX_FAULTS parsing and matching (pure). */
import * as grpc from '@grpc/grpc-js';
import { ConfigError } from '../../../common/config';
import { faultsFor, fires, parseFaults } from '../../../services/rpc/faults';
import { parseRelayFaults } from '../../../workers/relay/faults';

const methods = (service: string) =>
  service === 'payment' ? ['Charge', 'Refund', 'GetWallet'] : ['Reserve', 'GetStock'];

test('parses the three modes of the design example', () => {
  expect(
    parseFaults('payment.Charge=unavailable:0.3,inventory.Reserve=delay:2000,coupon.Redeem=lose-response:1'),
  ).toEqual([
    {
      service: 'payment',
      method: 'Charge',
      fault: { kind: 'fail', code: grpc.status.UNAVAILABLE, codeName: 'UNAVAILABLE', rate: 0.3 },
    },
    { service: 'inventory', method: 'Reserve', fault: { kind: 'delay', ms: 2000, rate: 1 } },
    { service: 'coupon', method: 'Redeem', fault: { kind: 'lose-response', rate: 1 } },
  ]);
});

test('empty spec = no faults; spaces and empty entries are ignored', () => {
  expect(parseFaults('')).toEqual([]);
  expect(parseFaults(' payment.Charge = internal:1 , ,')).toHaveLength(1);
});

test('codes are any gRPC status name, case-insensitive, dashes allowed; delay takes an optional rate', () => {
  expect(parseFaults('payment.Charge=DEADLINE-EXCEEDED:1')[0].fault).toMatchObject({
    kind: 'fail',
    code: grpc.status.DEADLINE_EXCEEDED,
  });
  expect(parseFaults('payment.Charge=resource_exhausted:0')[0].fault).toMatchObject({
    code: grpc.status.RESOURCE_EXHAUSTED,
    rate: 0,
  });
  expect(parseFaults('payment.Charge=delay:50:0.25')[0].fault).toEqual({ kind: 'delay', ms: 50, rate: 0.25 });
});

test('method names are checked against the services and stored with the proto spelling', () => {
  expect(parseFaults('payment.charge=unavailable:1', methods)[0].method).toBe('Charge');
  expect(parseFaults('payment.*=unavailable:1', methods)[0].method).toBe('*');
  expect(() => parseFaults('payment.Nope=unavailable:1', methods)).toThrow(/has no method "Nope"/);
});

test.each([
  ['payment.Charge', /expected <service>.<Method>=<fault>/],
  ['Charge=unavailable:1', /target must be/],
  ['shipping.Send=unavailable:1', /service one of/],
  ['payment.Charge=ok:1', /unknown fault/],
  ['payment.Charge=boom:1', /unknown fault/],
  ['payment.Charge=unavailable', /missing rate/],
  ['payment.Charge=unavailable:1.5', /rate must be/],
  ['payment.Charge=unavailable:-1', /rate must be/],
  ['payment.Charge=unavailable:abc', /rate must be/],
  ['payment.Charge=delay', /delay needs/],
  ['payment.Charge=delay:-5', /delay needs/],
  ['payment.Charge=delay:700000', /delay needs/],
  ['payment.Charge=lose-response:1:2', /too many/],
])('rejects %s naming DTX_FAULTS', (spec, message) => {
  let error: unknown;
  try {
    parseFaults(spec, methods);
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as ConfigError).variable).toBe('DTX_FAULTS');
  expect((error as Error).message).toMatch(/^DTX_FAULTS: /);
  expect((error as Error).message).toMatch(message);
});

test('faultsFor matches exact methods and wildcards of the service only', () => {
  const rules = parseFaults('payment.Charge=unavailable:1,payment.*=delay:5,inventory.Reserve=internal:1');
  expect(faultsFor(rules, 'payment', 'Charge').map((f) => f.kind)).toEqual(['fail', 'delay']);
  expect(faultsFor(rules, 'payment', 'Refund').map((f) => f.kind)).toEqual(['delay']);
  expect(faultsFor(rules, 'coupon', 'Redeem')).toEqual([]);
});

test('fires: rate 1 always, 0 never, otherwise by the random draw', () => {
  const fault = { kind: 'lose-response' as const, rate: 0.3 };
  expect(fires({ ...fault, rate: 1 }, () => 0.999)).toBe(true);
  expect(fires({ ...fault, rate: 0 }, () => 0)).toBe(false);
  expect(fires(fault, () => 0.29)).toBe(true);
  expect(fires(fault, () => 0.3)).toBe(false);
});

test("the relay's rules share DTX_FAULTS: the services skip them, the relay parses them", () => {
  const spec = 'payment.Charge=unavailable:0.5,relay.afterSend=crash:1';
  expect(parseFaults(spec)).toEqual([
    {
      service: 'payment',
      method: 'Charge',
      fault: { kind: 'fail', code: grpc.status.UNAVAILABLE, codeName: 'UNAVAILABLE', rate: 0.5 },
    },
  ]);
  expect(() => parseRelayFaults(spec)).not.toThrow();
  expect(() => parseRelayFaults('relay.afterSend=explode:1')).toThrow(/DTX_FAULTS/);
});
