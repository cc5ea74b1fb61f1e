// Original file: proto/dtx/v1/coupon.proto

export const DiscountType = {
  DISCOUNT_TYPE_UNSPECIFIED: 'DISCOUNT_TYPE_UNSPECIFIED',
  FIXED: 'FIXED',
  PERCENT: 'PERCENT',
} as const;

export type DiscountType =
  | 'DISCOUNT_TYPE_UNSPECIFIED'
  | 0
  | 'FIXED'
  | 1
  | 'PERCENT'
  | 2

export type DiscountType__Output = typeof DiscountType[keyof typeof DiscountType]
