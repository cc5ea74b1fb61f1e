// Original file: proto/dtx/v1/inventory.proto

import type { Long } from '@grpc/proto-loader';

export interface QuoteLine {
  'sku'?: (string);
  'name'?: (string);
  'quantity'?: (number);
  'unitPrice'?: (number | string | Long);
  'lineTotal'?: (number | string | Long);
}

export interface QuoteLine__Output {
  'sku': (string);
  'name': (string);
  'quantity': (number);
  'unitPrice': (number);
  'lineTotal': (number);
}
