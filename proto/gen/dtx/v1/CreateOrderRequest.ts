// Original file: proto/dtx/v1/order.proto

import type { Branch as _dtx_v1_Branch, Branch__Output as _dtx_v1_Branch__Output } from '../../dtx/v1/Branch';
import type { OrderLine as _dtx_v1_OrderLine, OrderLine__Output as _dtx_v1_OrderLine__Output } from '../../dtx/v1/OrderLine';
import type { Long } from '@grpc/proto-loader';

export interface CreateOrderRequest {
  'branch'?: (_dtx_v1_Branch | null);
  'orderId'?: (string);
  'customerId'?: (string);
  'lines'?: (_dtx_v1_OrderLine)[];
  'discount'?: (number | string | Long);
  'couponCode'?: (string);
  'txMode'?: (string);
}

export interface CreateOrderRequest__Output {
  'branch': (_dtx_v1_Branch__Output | null);
  'orderId': (string);
  'customerId': (string);
  'lines': (_dtx_v1_OrderLine__Output)[];
  'discount': (number);
  'couponCode': (string);
  'txMode': (string);
}
