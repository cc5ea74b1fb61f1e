// Original file: proto/dtx/v1/inventory.proto

import type { QuoteLine as _dtx_v1_QuoteLine, QuoteLine__Output as _dtx_v1_QuoteLine__Output } from '../../dtx/v1/QuoteLine';
import type { Long } from '@grpc/proto-loader';

export interface QuoteResponse {
  'lines'?: (_dtx_v1_QuoteLine)[];
  'subtotal'?: (number | string | Long);
}

export interface QuoteResponse__Output {
  'lines': (_dtx_v1_QuoteLine__Output)[];
  'subtotal': (number);
}
