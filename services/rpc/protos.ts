/** Loads the dtx protos at runtime with the same options as the codegen (scripts/proto-gen.sh); one place for both sides. */
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ServiceName } from '../../common/config';
import { REPO_ROOT } from '../../common/paths';
import type { ProtoGrpcType as CouponProto } from '../../proto/gen/coupon';
import type { ProtoGrpcType as InventoryProto } from '../../proto/gen/inventory';
import type { ProtoGrpcType as OrderProto } from '../../proto/gen/order';
import type { ProtoGrpcType as PaymentProto } from '../../proto/gen/payment';

/** proto/ is read at runtime, from source and from dist/ alike. */
export const PROTO_DIR = path.join(REPO_ROOT, 'proto');
export const PROTO_FILES = [
  'dtx/v1/order.proto',
  'dtx/v1/inventory.proto',
  'dtx/v1/coupon.proto',
  'dtx/v1/payment.proto',
];

/** The proto-loader options of the brief: int64 as Number, enums as strings, defaults filled in. */
export const PROTO_LOADER_OPTIONS: protoLoader.Options = {
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_DIR],
};

type DtxV1 = OrderProto['dtx']['v1'] &
  InventoryProto['dtx']['v1'] &
  CouponProto['dtx']['v1'] &
  PaymentProto['dtx']['v1'];

let cached: DtxV1 | undefined;

/** The loaded `dtx.v1` package (client constructors and service definitions), loaded once per process. */
export function dtxV1(): DtxV1 {
  if (!cached) {
    const definition = protoLoader.loadSync(PROTO_FILES, PROTO_LOADER_OPTIONS);
    // loadPackageDefinition is untyped; the generated ProtoGrpcType describes exactly what it returns
    const loaded = grpc.loadPackageDefinition(definition) as unknown as { dtx: { v1: DtxV1 } };
    cached = loaded.dtx.v1;
  }
  return cached;
}

/** Fully qualified gRPC service name of each dtx service, e.g. `dtx.v1.InventoryService` (health checks use it). */
export const GRPC_SERVICE_NAMES: Record<ServiceName, string> = {
  order: 'dtx.v1.OrderService',
  inventory: 'dtx.v1.InventoryService',
  coupon: 'dtx.v1.CouponService',
  payment: 'dtx.v1.PaymentService',
};

/** The service definition (method table) of a dtx service. */
export function serviceDefinition(service: ServiceName): grpc.ServiceDefinition {
  const v1 = dtxV1();
  const constructors = {
    order: v1.OrderService,
    inventory: v1.InventoryService,
    coupon: v1.CouponService,
    payment: v1.PaymentService,
  };
  return constructors[service].service;
}
