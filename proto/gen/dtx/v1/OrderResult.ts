// Original file: proto/dtx/v1/order.proto

import type { Outcome as _dtx_v1_Outcome, Outcome__Output as _dtx_v1_Outcome__Output } from '../../dtx/v1/Outcome';
import type { Order as _dtx_v1_Order, Order__Output as _dtx_v1_Order__Output } from '../../dtx/v1/Order';

export interface OrderResult {
  'outcome'?: (_dtx_v1_Outcome);
  'order'?: (_dtx_v1_Order | null);
}

export interface OrderResult__Output {
  'outcome': (_dtx_v1_Outcome__Output);
  'order': (_dtx_v1_Order__Output | null);
}
