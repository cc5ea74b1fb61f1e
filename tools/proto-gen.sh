#!/usr/bin/env bash
# Regenerates the TypeScript types of proto/ into proto/gen (offline: proto-loader-gen-types ships with @grpc/proto-loader).
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf proto/gen
npx proto-loader-gen-types --longs=Number --enums=String --defaults --oneofs --keepCase=false \
  --grpcLib=@grpc/grpc-js --includeDirs=proto --outDir=proto/gen \
  dtx/v1/common.proto dtx/v1/order.proto dtx/v1/inventory.proto \
  dtx/v1/coupon.proto dtx/v1/payment.proto
npx prettier --log-level warn --write proto/gen
