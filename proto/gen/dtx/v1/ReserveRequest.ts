// Original file: proto/dtx/v1/inventory.proto

import type { Branch as _dtx_v1_Branch, Branch__Output as _dtx_v1_Branch__Output } from '../../dtx/v1/Branch';
import type { Item as _dtx_v1_Item, Item__Output as _dtx_v1_Item__Output } from '../../dtx/v1/Item';

export interface ReserveRequest {
  'branch'?: (_dtx_v1_Branch | null);
  'orderId'?: (string);
  'items'?: (_dtx_v1_Item)[];
}

export interface ReserveRequest__Output {
  'branch': (_dtx_v1_Branch__Output | null);
  'orderId': (string);
  'items': (_dtx_v1_Item__Output)[];
}
