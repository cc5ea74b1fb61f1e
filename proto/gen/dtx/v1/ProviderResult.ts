// Original file: proto/dtx/v1/payment.proto

export const ProviderResult = {
  PROVIDER_RESULT_UNSPECIFIED: 'PROVIDER_RESULT_UNSPECIFIED',
  SUCCEEDED: 'SUCCEEDED',
  DECLINED: 'DECLINED',
} as const;

export type ProviderResult =
  | 'PROVIDER_RESULT_UNSPECIFIED'
  | 0
  | 'SUCCEEDED'
  | 1
  | 'DECLINED'
  | 2

export type ProviderResult__Output = typeof ProviderResult[keyof typeof ProviderResult]
