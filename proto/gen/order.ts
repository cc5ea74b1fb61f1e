import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Branch as _dtx_v1_Branch, Branch__Output as _dtx_v1_Branch__Output } from './dtx/v1/Branch';
import type { BranchRequest as _dtx_v1_BranchRequest, BranchRequest__Output as _dtx_v1_BranchRequest__Output } from './dtx/v1/BranchRequest';
import type { BranchResult as _dtx_v1_BranchResult, BranchResult__Output as _dtx_v1_BranchResult__Output } from './dtx/v1/BranchResult';
import type { CreateOrderRequest as _dtx_v1_CreateOrderRequest, CreateOrderRequest__Output as _dtx_v1_CreateOrderRequest__Output } from './dtx/v1/CreateOrderRequest';
import type { GetOrderRequest as _dtx_v1_GetOrderRequest, GetOrderRequest__Output as _dtx_v1_GetOrderRequest__Output } from './dtx/v1/GetOrderRequest';
import type { Item as _dtx_v1_Item, Item__Output as _dtx_v1_Item__Output } from './dtx/v1/Item';
import type { ListOrdersRequest as _dtx_v1_ListOrdersRequest, ListOrdersRequest__Output as _dtx_v1_ListOrdersRequest__Output } from './dtx/v1/ListOrdersRequest';
import type { ListOrdersResponse as _dtx_v1_ListOrdersResponse, ListOrdersResponse__Output as _dtx_v1_ListOrdersResponse__Output } from './dtx/v1/ListOrdersResponse';
import type { Order as _dtx_v1_Order, Order__Output as _dtx_v1_Order__Output } from './dtx/v1/Order';
import type { OrderBranchRequest as _dtx_v1_OrderBranchRequest, OrderBranchRequest__Output as _dtx_v1_OrderBranchRequest__Output } from './dtx/v1/OrderBranchRequest';
import type { OrderLine as _dtx_v1_OrderLine, OrderLine__Output as _dtx_v1_OrderLine__Output } from './dtx/v1/OrderLine';
import type { OrderResult as _dtx_v1_OrderResult, OrderResult__Output as _dtx_v1_OrderResult__Output } from './dtx/v1/OrderResult';
import type { OrderServiceClient as _dtx_v1_OrderServiceClient, OrderServiceDefinition as _dtx_v1_OrderServiceDefinition } from './dtx/v1/OrderService';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  dtx: {
    v1: {
      Branch: MessageTypeDefinition<_dtx_v1_Branch, _dtx_v1_Branch__Output>
      BranchRequest: MessageTypeDefinition<_dtx_v1_BranchRequest, _dtx_v1_BranchRequest__Output>
      BranchResult: MessageTypeDefinition<_dtx_v1_BranchResult, _dtx_v1_BranchResult__Output>
      CreateOrderRequest: MessageTypeDefinition<_dtx_v1_CreateOrderRequest, _dtx_v1_CreateOrderRequest__Output>
      GetOrderRequest: MessageTypeDefinition<_dtx_v1_GetOrderRequest, _dtx_v1_GetOrderRequest__Output>
      Item: MessageTypeDefinition<_dtx_v1_Item, _dtx_v1_Item__Output>
      ListOrdersRequest: MessageTypeDefinition<_dtx_v1_ListOrdersRequest, _dtx_v1_ListOrdersRequest__Output>
      ListOrdersResponse: MessageTypeDefinition<_dtx_v1_ListOrdersResponse, _dtx_v1_ListOrdersResponse__Output>
      Order: MessageTypeDefinition<_dtx_v1_Order, _dtx_v1_Order__Output>
      OrderBranchRequest: MessageTypeDefinition<_dtx_v1_OrderBranchRequest, _dtx_v1_OrderBranchRequest__Output>
      OrderLine: MessageTypeDefinition<_dtx_v1_OrderLine, _dtx_v1_OrderLine__Output>
      OrderResult: MessageTypeDefinition<_dtx_v1_OrderResult, _dtx_v1_OrderResult__Output>
      OrderService: SubtypeConstructor<typeof grpc.Client, _dtx_v1_OrderServiceClient> & { service: _dtx_v1_OrderServiceDefinition }
      Outcome: EnumTypeDefinition
    }
  }
}

