// Original file: proto/dtx/v1/inventory.proto

import type { Long } from '@grpc/proto-loader';

export interface Product {
  'sku'?: (string);
  'name'?: (string);
  'unitPrice'?: (number | string | Long);
}

export interface Product__Output {
  'sku': (string);
  'name': (string);
  'unitPrice': (number);
}
