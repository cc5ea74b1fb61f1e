// Original file: proto/dtx/v1/order.proto

import type { Branch as _dtx_v1_Branch, Branch__Output as _dtx_v1_Branch__Output } from '../../dtx/v1/Branch';

export interface OrderBranchRequest {
  'branch'?: (_dtx_v1_Branch | null);
  'orderId'?: (string);
  'reason'?: (string);
}

export interface OrderBranchRequest__Output {
  'branch': (_dtx_v1_Branch__Output | null);
  'orderId': (string);
  'reason': (string);
}
