// Original file: proto/dtx/v1/payment.proto

import type { Outcome as _dtx_v1_Outcome, Outcome__Output as _dtx_v1_Outcome__Output } from '../../dtx/v1/Outcome';
import type { Wallet as _dtx_v1_Wallet, Wallet__Output as _dtx_v1_Wallet__Output } from '../../dtx/v1/Wallet';

export interface PaymentResult {
  'outcome'?: (_dtx_v1_Outcome);
  'wallet'?: (_dtx_v1_Wallet | null);
}

export interface PaymentResult__Output {
  'outcome': (_dtx_v1_Outcome__Output);
  'wallet': (_dtx_v1_Wallet__Output | null);
}
