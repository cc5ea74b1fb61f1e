/**
 * gRPC clients of the four dtx services, written once for every caller (activities, API, CLI, tests).
 *
 *   const clients = createServiceClients();                       // addresses and security from config
 *   const result = await call(clients.inventory, 'reserve', request, { deadlineMs: 5000, txId });
 *   clients.close();
 *
 * Failures reject with the grpc-js ServiceError; read it with describeGrpcError (./errors). With TLS configured
 * (DTX_GRPC_TLS_*) every channel is TLS; with DTX_ADMIN_TOKEN the admin calls carry it (ADMIN_METHODS).
 */
import * as fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { loadConfig, type GrpcSecurity, type ServiceName } from '../../common/config';
import type { CouponServiceClient } from '../../proto/gen/dtx/v1/CouponService';
import type { InventoryServiceClient } from '../../proto/gen/dtx/v1/InventoryService';
import type { OrderServiceClient } from '../../proto/gen/dtx/v1/OrderService';
import type { PaymentServiceClient } from '../../proto/gen/dtx/v1/PaymentService';
import { dtxV1 } from './protos';

export { describeGrpcError, type GrpcErrorDescription } from './errors';

/** Metadata keys the services read: logs and event headers, and the admin token (also `authorization: Bearer`). */
export const CALL_METADATA = {
  txId: 'dtx-tx-id',
  adminToken: 'x-dtx-admin-token',
} as const;

/**
 * The admin RPCs: seed and operator data changes, outside any transaction (money and stock appear or vanish). With
 * DTX_ADMIN_TOKEN set the services require the token on these; the transactions' RPCs never need it.
 */
export const ADMIN_METHODS: Record<ServiceName, readonly string[]> = {
  order: [],
  inventory: ['UpsertProduct', 'SetStock'],
  coupon: ['IssueCoupon'],
  // ReportResult is the payment provider's webhook: only the provider (holding the token) may report
  payment: ['Credit', 'ReportResult'],
};
const ADMIN_METHOD_NAMES: ReadonlySet<string> = new Set(Object.values(ADMIN_METHODS).flat());

/** Channel credentials for the services: plaintext, TLS, or mutual TLS (GrpcSecurity.tls). */
export function channelCredentials(security: GrpcSecurity = loadConfig().grpc): grpc.ChannelCredentials {
  const tls = security.tls;
  if (tls === undefined) return grpc.credentials.createInsecure();
  if (tls.caPath === undefined) return grpc.credentials.createSsl();
  return grpc.credentials.createSsl(
    fs.readFileSync(tls.caPath),
    fs.readFileSync(tls.keyPath),
    fs.readFileSync(tls.certPath),
  );
}

/** Adds the admin token to admin calls only (a business call never carries it). */
function adminTokenInterceptor(token: string): grpc.Interceptor {
  return (options, nextCall) => {
    const method = options.method_definition.path.slice(options.method_definition.path.lastIndexOf('/') + 1);
    if (!ADMIN_METHOD_NAMES.has(method)) return new grpc.InterceptingCall(nextCall(options));
    return new grpc.InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        metadata.set('authorization', `Bearer ${token}`);
        next(metadata, listener);
      },
    });
  };
}

export interface ServiceClients {
  order: OrderServiceClient;
  inventory: InventoryServiceClient;
  coupon: CouponServiceClient;
  payment: PaymentServiceClient;
  /** Closes every channel. */
  close(): void;
}

/**
 * One client per service; pass addresses to point at test servers (e.g. `127.0.0.1:<bound port>`). Security (TLS,
 * the admin token) comes from config unless given.
 */
export function createServiceClients(
  addresses: Record<ServiceName, string> = loadConfig().serviceAddresses,
  security: GrpcSecurity = loadConfig().grpc,
  clientOptions: grpc.ClientOptions = {},
): ServiceClients {
  const credentials = channelCredentials(security);
  const options: grpc.ClientOptions =
    security.adminToken === undefined
      ? clientOptions
      : {
          ...clientOptions,
          interceptors: [...(clientOptions.interceptors ?? []), adminTokenInterceptor(security.adminToken)],
        };
  const v1 = dtxV1();
  const order = new v1.OrderService(addresses.order, credentials, options);
  const inventory = new v1.InventoryService(addresses.inventory, credentials, options);
  const coupon = new v1.CouponService(addresses.coupon, credentials, options);
  const payment = new v1.PaymentService(addresses.payment, credentials, options);
  return {
    order,
    inventory,
    coupon,
    payment,
    close() {
      for (const client of [order, inventory, coupon, payment]) client.close();
    },
  };
}

/** The unary methods of a generated client (checked on their last overload: `(request, callback)`). */
type UnaryMethodName<C> = {
  [K in keyof C]: C[K] extends (
    argument: infer _Req,
    callback: grpc.requestCallback<infer _Res>,
  ) => grpc.ClientUnaryCall
    ? K
    : never;
}[keyof C] &
  string;

// `infer` on an overloaded method sees its last overload: (argument, callback)
type RequestOf<C, K extends keyof C> = C[K] extends (
  argument: infer Req,
  callback: grpc.requestCallback<infer _Res>,
) => grpc.ClientUnaryCall
  ? Req
  : never;
type ResponseOf<C, K extends keyof C> = C[K] extends (
  argument: infer _Req,
  callback: grpc.requestCallback<infer Res>,
) => grpc.ClientUnaryCall
  ? Res
  : never;

export interface CallOptions {
  /** Deadline relative to now, in ms (the server does not start a call whose deadline has passed). */
  deadlineMs?: number;
  /** Sent as `dtx-tx-id` metadata (logs); mutating requests carry it in `branch` anyway. */
  txId?: string;
  /** Extra metadata. */
  metadata?: grpc.Metadata | Record<string, string>;
  /** Cancels the call when aborted (e.g. a Temporal activity's cancellationSignal); it then rejects with CANCELLED. */
  signal?: AbortSignal;
}

function buildMetadata(options: CallOptions): grpc.Metadata {
  const metadata = options.metadata instanceof grpc.Metadata ? options.metadata.clone() : new grpc.Metadata();
  if (options.metadata && !(options.metadata instanceof grpc.Metadata)) {
    for (const [key, value] of Object.entries(options.metadata)) metadata.set(key, value);
  }
  if (options.txId) metadata.set(CALL_METADATA.txId, options.txId);
  return metadata;
}

/** Calls a unary RPC and resolves with its response; rejects with the grpc ServiceError. */
export function call<C extends grpc.Client, K extends UnaryMethodName<C>>(
  client: C,
  method: K,
  request: RequestOf<C, K>,
  options: CallOptions = {},
): Promise<NonNullable<ResponseOf<C, K>>> {
  const callOptions: grpc.CallOptions = {};
  if (options.deadlineMs !== undefined) callOptions.deadline = Date.now() + options.deadlineMs;
  const metadata = buildMetadata(options);
  return new Promise((resolve, reject) => {
    // the generated method type is a set of overloads; this is the (request, metadata, options, callback) one
    const fn = client[method] as unknown as (
      request: unknown,
      metadata: grpc.Metadata,
      options: grpc.CallOptions,
      callback: (err: grpc.ServiceError | null, response?: ResponseOf<C, K>) => void,
    ) => grpc.ClientUnaryCall;
    const onAbort = (): void => pending.cancel();
    const pending = fn.call(client, request, metadata, callOptions, (err, response) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(response as NonNullable<ResponseOf<C, K>>);
    });
    if (options.signal?.aborted) pending.cancel();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Resolves when the client's channel is ready (or rejects after `timeoutMs`). */
export function waitForReady(client: grpc.Client, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    client.waitForReady(Date.now() + timeoutMs, (err) => (err ? reject(err) : resolve()));
  });
}
