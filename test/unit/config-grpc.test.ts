/**
 * The gRPC security settings (DTX_GRPC_TLS_CERT/KEY/CA, DTX_ADMIN_TOKEN): off by default, validated naming the
 * variable, the same settings for the servers and the clients.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { ConfigError, loadConfig, type Env } from '../../common/config';
import { ADMIN_METHODS, channelCredentials } from '../../services/rpc/clients';

let dir: string;
let cert: string;
let key: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtx-config-grpc-'));
  // contents do not matter here: loadConfig checks the files can be read, gRPC parses them
  cert = path.join(dir, 'cert.pem');
  key = path.join(dir, 'key.pem');
  fs.writeFileSync(cert, 'cert');
  fs.writeFileSync(key, 'key');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function configErrorOf(env: Env): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

test('off by default: plaintext, no admin token', () => {
  expect(loadConfig({}).grpc).toEqual({});
  expect(channelCredentials({})._isSecure()).toBe(false);
});

test('TLS from cert and key; mutual TLS with a CA; the admin token', () => {
  expect(loadConfig({ DTX_GRPC_TLS_CERT: cert, DTX_GRPC_TLS_KEY: key }).grpc).toEqual({
    tls: { certPath: cert, keyPath: key },
  });
  expect(
    loadConfig({
      DTX_GRPC_TLS_CERT: cert,
      DTX_GRPC_TLS_KEY: key,
      DTX_GRPC_TLS_CA: cert,
      DTX_ADMIN_TOKEN: 'a-long-enough-admin-token',
    }).grpc,
  ).toEqual({ tls: { certPath: cert, keyPath: key, caPath: cert }, adminToken: 'a-long-enough-admin-token' });
  expect(channelCredentials({ tls: { certPath: cert, keyPath: key } })).toBeInstanceOf(
    grpc.ChannelCredentials,
  );
});

test.each([
  ['a certificate without its key', 'DTX_GRPC_TLS_KEY', { DTX_GRPC_TLS_CERT: 'CERT' }],
  ['a key without its certificate', 'DTX_GRPC_TLS_CERT', { DTX_GRPC_TLS_KEY: 'KEY' }],
  ['a CA without certificate and key', 'DTX_GRPC_TLS_CERT', { DTX_GRPC_TLS_CA: 'CERT' }],
  [
    'a certificate file that is not there',
    'DTX_GRPC_TLS_CERT',
    { DTX_GRPC_TLS_CERT: '/nonexistent/cert.pem' },
  ],
  ['an admin token shorter than 16 characters', 'DTX_ADMIN_TOKEN', { DTX_ADMIN_TOKEN: 'secret' }],
])('%s is a ConfigError naming %s', (_name, variable, env: Env) => {
  const resolved = Object.fromEntries(
    Object.entries(env).map(([name, value]) => [
      name,
      value === 'CERT' ? cert : value === 'KEY' ? key : value,
    ]),
  );
  expect(configErrorOf(resolved).variable).toBe(variable);
});

test('the admin RPCs are the data changes outside transactions', () => {
  expect(ADMIN_METHODS).toEqual({
    order: [],
    inventory: ['UpsertProduct', 'SetStock'],
    coupon: ['IssueCoupon'],
    payment: ['Credit', 'ReportResult'],
  });
});
