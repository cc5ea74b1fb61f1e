// Original file: proto/dtx/v1/payment.proto

import type { Branch as _dtx_v1_Branch, Branch__Output as _dtx_v1_Branch__Output } from '../../dtx/v1/Branch';
import type { Long } from '@grpc/proto-loader';

export interface PaymentRequest {
  'branch'?: (_dtx_v1_Branch | null);
  'customerId'?: (string);
  'orderId'?: (string);
  'amount'?: (number | string | Long);
}

export interface PaymentRequest__Output {
  'branch': (_dtx_v1_Branch__Output | null);
  'customerId': (string);
  'orderId': (string);
  'amount': (number);
}
