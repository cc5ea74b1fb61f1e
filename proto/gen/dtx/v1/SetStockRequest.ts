// Original file: proto/dtx/v1/inventory.proto

import type { Long } from '@grpc/proto-loader';

export interface SetStockRequest {
  'sku'?: (string);
  'available'?: (number | string | Long);
}

export interface SetStockRequest__Output {
  'sku': (string);
  'available': (number);
}
