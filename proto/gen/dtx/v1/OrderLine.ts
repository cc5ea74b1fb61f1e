// Original file: proto/dtx/v1/order.proto

import type { Long } from '@grpc/proto-loader';

export interface OrderLine {
  'sku'?: (string);
  'quantity'?: (number);
  'unitPrice'?: (number | string | Long);
  'lineTotal'?: (number | string | Long);
}

export interface OrderLine__Output {
  'sku': (string);
  'quantity': (number);
  'unitPrice': (number);
  'lineTotal': (number);
}
