// Original file: proto/dtx/v1/order.proto

import type { Order as _dtx_v1_Order, Order__Output as _dtx_v1_Order__Output } from '../../dtx/v1/Order';

export interface ListOrdersResponse {
  'orders'?: (_dtx_v1_Order)[];
  'nextPageToken'?: (string);
}

export interface ListOrdersResponse__Output {
  'orders': (_dtx_v1_Order__Output)[];
  'nextPageToken': (string);
}
