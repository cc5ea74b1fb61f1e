import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Branch as _dtx_v1_Branch, Branch__Output as _dtx_v1_Branch__Output } from './dtx/v1/Branch';
import type { BranchRequest as _dtx_v1_BranchRequest, BranchRequest__Output as _dtx_v1_BranchRequest__Output } from './dtx/v1/BranchRequest';
import type { BranchResult as _dtx_v1_BranchResult, BranchResult__Output as _dtx_v1_BranchResult__Output } from './dtx/v1/BranchResult';
import type { GetStockRequest as _dtx_v1_GetStockRequest, GetStockRequest__Output as _dtx_v1_GetStockRequest__Output } from './dtx/v1/GetStockRequest';
import type { GetStockResponse as _dtx_v1_GetStockResponse, GetStockResponse__Output as _dtx_v1_GetStockResponse__Output } from './dtx/v1/GetStockResponse';
import type { InventoryServiceClient as _dtx_v1_InventoryServiceClient, InventoryServiceDefinition as _dtx_v1_InventoryServiceDefinition } from './dtx/v1/InventoryService';
import type { Item as _dtx_v1_Item, Item__Output as _dtx_v1_Item__Output } from './dtx/v1/Item';
import type { Product as _dtx_v1_Product, Product__Output as _dtx_v1_Product__Output } from './dtx/v1/Product';
import type { QuoteLine as _dtx_v1_QuoteLine, QuoteLine__Output as _dtx_v1_QuoteLine__Output } from './dtx/v1/QuoteLine';
import type { QuoteRequest as _dtx_v1_QuoteRequest, QuoteRequest__Output as _dtx_v1_QuoteRequest__Output } from './dtx/v1/QuoteRequest';
import type { QuoteResponse as _dtx_v1_QuoteResponse, QuoteResponse__Output as _dtx_v1_QuoteResponse__Output } from './dtx/v1/QuoteResponse';
import type { ReservationResult as _dtx_v1_ReservationResult, ReservationResult__Output as _dtx_v1_ReservationResult__Output } from './dtx/v1/ReservationResult';
import type { ReserveRequest as _dtx_v1_ReserveRequest, ReserveRequest__Output as _dtx_v1_ReserveRequest__Output } from './dtx/v1/ReserveRequest';
import type { SetStockRequest as _dtx_v1_SetStockRequest, SetStockRequest__Output as _dtx_v1_SetStockRequest__Output } from './dtx/v1/SetStockRequest';
import type { Stock as _dtx_v1_Stock, Stock__Output as _dtx_v1_Stock__Output } from './dtx/v1/Stock';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  dtx: {
    v1: {
      Branch: MessageTypeDefinition<_dtx_v1_Branch, _dtx_v1_Branch__Output>
      BranchRequest: MessageTypeDefinition<_dtx_v1_BranchRequest, _dtx_v1_BranchRequest__Output>
      BranchResult: MessageTypeDefinition<_dtx_v1_BranchResult, _dtx_v1_BranchResult__Output>
      GetStockRequest: MessageTypeDefinition<_dtx_v1_GetStockRequest, _dtx_v1_GetStockRequest__Output>
      GetStockResponse: MessageTypeDefinition<_dtx_v1_GetStockResponse, _dtx_v1_GetStockResponse__Output>
      InventoryService: SubtypeConstructor<typeof grpc.Client, _dtx_v1_InventoryServiceClient> & { service: _dtx_v1_InventoryServiceDefinition }
      Item: MessageTypeDefinition<_dtx_v1_Item, _dtx_v1_Item__Output>
      Outcome: EnumTypeDefinition
      Product: MessageTypeDefinition<_dtx_v1_Product, _dtx_v1_Product__Output>
      QuoteLine: MessageTypeDefinition<_dtx_v1_QuoteLine, _dtx_v1_QuoteLine__Output>
      QuoteRequest: MessageTypeDefinition<_dtx_v1_QuoteRequest, _dtx_v1_QuoteRequest__Output>
      QuoteResponse: MessageTypeDefinition<_dtx_v1_QuoteResponse, _dtx_v1_QuoteResponse__Output>
      ReservationResult: MessageTypeDefinition<_dtx_v1_ReservationResult, _dtx_v1_ReservationResult__Output>
      ReserveRequest: MessageTypeDefinition<_dtx_v1_ReserveRequest, _dtx_v1_ReserveRequest__Output>
      SetStockRequest: MessageTypeDefinition<_dtx_v1_SetStockRequest, _dtx_v1_SetStockRequest__Output>
      Stock: MessageTypeDefinition<_dtx_v1_Stock, _dtx_v1_Stock__Output>
    }
  }
}

