// Original file: proto/dtx/v1/coupon.proto

import type { Outcome as _dtx_v1_Outcome, Outcome__Output as _dtx_v1_Outcome__Output } from '../../dtx/v1/Outcome';
import type { Coupon as _dtx_v1_Coupon, Coupon__Output as _dtx_v1_Coupon__Output } from '../../dtx/v1/Coupon';
import type { Long } from '@grpc/proto-loader';

export interface CouponResult {
  'outcome'?: (_dtx_v1_Outcome);
  'discount'?: (number | string | Long);
  'coupon'?: (_dtx_v1_Coupon | null);
}

export interface CouponResult__Output {
  'outcome': (_dtx_v1_Outcome__Output);
  'discount': (number);
  'coupon': (_dtx_v1_Coupon__Output | null);
}
