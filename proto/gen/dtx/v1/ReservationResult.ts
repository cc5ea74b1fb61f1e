// Original file: proto/dtx/v1/inventory.proto

import type { Outcome as _dtx_v1_Outcome, Outcome__Output as _dtx_v1_Outcome__Output } from '../../dtx/v1/Outcome';
import type { Item as _dtx_v1_Item, Item__Output as _dtx_v1_Item__Output } from '../../dtx/v1/Item';

export interface ReservationResult {
  'outcome'?: (_dtx_v1_Outcome);
  'items'?: (_dtx_v1_Item)[];
}

export interface ReservationResult__Output {
  'outcome': (_dtx_v1_Outcome__Output);
  'items': (_dtx_v1_Item__Output)[];
}
