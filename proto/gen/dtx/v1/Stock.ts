// Original file: proto/dtx/v1/inventory.proto

import type { Long } from '@grpc/proto-loader';

export interface Stock {
  'sku'?: (string);
  'available'?: (number | string | Long);
  'frozen'?: (number | string | Long);
  'sold'?: (number | string | Long);
}

export interface Stock__Output {
  'sku': (string);
  'available': (number);
  'frozen': (number);
  'sold': (number);
}
