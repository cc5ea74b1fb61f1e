// Original file: proto/dtx/v1/coupon.proto

import type { Branch as _dtx_v1_Branch, Branch__Output as _dtx_v1_Branch__Output } from '../../dtx/v1/Branch';
import type { Long } from '@grpc/proto-loader';

export interface CouponUseRequest {
  'branch'?: (_dtx_v1_Branch | null);
  'code'?: (string);
  'customerId'?: (string);
  'orderId'?: (string);
  'orderAmount'?: (number | string | Long);
}

export interface CouponUseRequest__Output {
  'branch': (_dtx_v1_Branch__Output | null);
  'code': (string);
  'customerId': (string);
  'orderId': (string);
  'orderAmount': (number);
}
