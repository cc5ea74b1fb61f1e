// Original file: proto/dtx/v1/coupon.proto

import type { Long } from '@grpc/proto-loader';

export interface CouponQuote {
  'code'?: (string);
  'discount'?: (number | string | Long);
}

export interface CouponQuote__Output {
  'code': (string);
  'discount': (number);
}
