// Original file: proto/dtx/v1/payment.proto

import type { Branch as _dtx_v1_Branch, Branch__Output as _dtx_v1_Branch__Output } from '../../dtx/v1/Branch';
import type { ProviderResult as _dtx_v1_ProviderResult, ProviderResult__Output as _dtx_v1_ProviderResult__Output } from '../../dtx/v1/ProviderResult';

export interface ProviderReport {
  'branch'?: (_dtx_v1_Branch | null);
  'result'?: (_dtx_v1_ProviderResult);
  'reason'?: (string);
}

export interface ProviderReport__Output {
  'branch': (_dtx_v1_Branch__Output | null);
  'result': (_dtx_v1_ProviderResult__Output);
  'reason': (string);
}
