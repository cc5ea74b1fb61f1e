// Original file: proto/dtx/v1/coupon.proto

import type { Long } from '@grpc/proto-loader';

export interface CouponQuoteRequest {
  'code'?: (string);
  'customerId'?: (string);
  'orderAmount'?: (number | string | Long);
}

export interface CouponQuoteRequest__Output {
  'code': (string);
  'customerId': (string);
  'orderAmount': (number);
}
