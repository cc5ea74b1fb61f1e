// Original file: proto/dtx/v1/common.proto

import type { Branch as _dtx_v1_Branch, Branch__Output as _dtx_v1_Branch__Output } from '../../dtx/v1/Branch';

export interface BranchRequest {
  'branch'?: (_dtx_v1_Branch | null);
  'reason'?: (string);
}

export interface BranchRequest__Output {
  'branch': (_dtx_v1_Branch__Output | null);
  'reason': (string);
}
