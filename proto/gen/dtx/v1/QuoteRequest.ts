// Original file: proto/dtx/v1/inventory.proto

import type { Item as _dtx_v1_Item, Item__Output as _dtx_v1_Item__Output } from '../../dtx/v1/Item';

export interface QuoteRequest {
  'items'?: (_dtx_v1_Item)[];
}

export interface QuoteRequest__Output {
  'items': (_dtx_v1_Item__Output)[];
}
