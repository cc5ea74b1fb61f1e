// Original file: proto/dtx/v1/common.proto

import type { Branch as _dtx_v1_Branch, Branch__Output as _dtx_v1_Branch__Output } from '../../dtx/v1/Branch';
import type { Outcome as _dtx_v1_Outcome, Outcome__Output as _dtx_v1_Outcome__Output } from '../../dtx/v1/Outcome';

export interface BranchResult {
  'branch'?: (_dtx_v1_Branch | null);
  'outcome'?: (_dtx_v1_Outcome);
}

export interface BranchResult__Output {
  'branch': (_dtx_v1_Branch__Output | null);
  'outcome': (_dtx_v1_Outcome__Output);
}
