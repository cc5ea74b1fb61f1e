// Original file: proto/dtx/v1/payment.proto

import type { Outcome as _dtx_v1_Outcome, Outcome__Output as _dtx_v1_Outcome__Output } from '../../dtx/v1/Outcome';

export interface ProviderReportResult {
  'outcome'?: (_dtx_v1_Outcome);
  'state'?: (string);
}

export interface ProviderReportResult__Output {
  'outcome': (_dtx_v1_Outcome__Output);
  'state': (string);
}
