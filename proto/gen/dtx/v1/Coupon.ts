// Original file: proto/dtx/v1/coupon.proto

import type { DiscountType as _dtx_v1_DiscountType, DiscountType__Output as _dtx_v1_DiscountType__Output } from '../../dtx/v1/DiscountType';
import type { Long } from '@grpc/proto-loader';

export interface Coupon {
  'code'?: (string);
  'ownerCustomerId'?: (string);
  'discountType'?: (_dtx_v1_DiscountType);
  'amountOff'?: (number | string | Long);
  'percentOff'?: (number);
  'maxDiscount'?: (number | string | Long);
  'minOrderAmount'?: (number | string | Long);
  'expiresAt'?: (string);
  'state'?: (string);
  'txId'?: (string);
  'orderId'?: (string);
}

export interface Coupon__Output {
  'code': (string);
  'ownerCustomerId': (string);
  'discountType': (_dtx_v1_DiscountType__Output);
  'amountOff': (number);
  'percentOff': (number);
  'maxDiscount': (number);
  'minOrderAmount': (number);
  'expiresAt': (string);
  'state': (string);
  'txId': (string);
  'orderId': (string);
}
