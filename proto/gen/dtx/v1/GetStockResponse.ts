// Original file: proto/dtx/v1/inventory.proto

import type { Stock as _dtx_v1_Stock, Stock__Output as _dtx_v1_Stock__Output } from '../../dtx/v1/Stock';

export interface GetStockResponse {
  'stocks'?: (_dtx_v1_Stock)[];
}

export interface GetStockResponse__Output {
  'stocks': (_dtx_v1_Stock__Output)[];
}
