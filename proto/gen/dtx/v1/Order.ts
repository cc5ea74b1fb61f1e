// Original file: proto/dtx/v1/order.proto

import type { OrderLine as _dtx_v1_OrderLine, OrderLine__Output as _dtx_v1_OrderLine__Output } from '../../dtx/v1/OrderLine';
import type { Long } from '@grpc/proto-loader';

export interface Order {
  'orderId'?: (string);
  'customerId'?: (string);
  'status'?: (string);
  'lines'?: (_dtx_v1_OrderLine)[];
  'subtotal'?: (number | string | Long);
  'discount'?: (number | string | Long);
  'total'?: (number | string | Long);
  'couponCode'?: (string);
  'txMode'?: (string);
  'txId'?: (string);
  'cancelReason'?: (string);
  'createdAt'?: (string);
  'updatedAt'?: (string);
}

export interface Order__Output {
  'orderId': (string);
  'customerId': (string);
  'status': (string);
  'lines': (_dtx_v1_OrderLine__Output)[];
  'subtotal': (number);
  'discount': (number);
  'total': (number);
  'couponCode': (string);
  'txMode': (string);
  'txId': (string);
  'cancelReason': (string);
  'createdAt': (string);
  'updatedAt': (string);
}
