// Original file: proto/dtx/v1/coupon.proto


export interface GetCouponRequest {
  'code'?: (string);
}

export interface GetCouponRequest__Output {
  'code': (string);
}
