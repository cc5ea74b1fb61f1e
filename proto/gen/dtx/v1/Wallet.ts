// Original file: proto/dtx/v1/payment.proto

import type { Long } from '@grpc/proto-loader';

export interface Wallet {
  'customerId'?: (string);
  'balance'?: (number | string | Long);
  'frozen'?: (number | string | Long);
}

export interface Wallet__Output {
  'customerId': (string);
  'balance': (number);
  'frozen': (number);
}
