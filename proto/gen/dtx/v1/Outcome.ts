// Original file: proto/dtx/v1/common.proto

export const Outcome = {
  OUTCOME_UNSPECIFIED: 'OUTCOME_UNSPECIFIED',
  APPLIED: 'APPLIED',
  DUPLICATE: 'DUPLICATE',
  EMPTY: 'EMPTY',
} as const;

export type Outcome =
  | 'OUTCOME_UNSPECIFIED'
  | 0
  | 'APPLIED'
  | 1
  | 'DUPLICATE'
  | 2
  | 'EMPTY'
  | 3

export type Outcome__Output = typeof Outcome[keyof typeof Outcome]
