// Original file: proto/dtx/v1/order.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateOrderRequest as _dtx_v1_CreateOrderRequest, CreateOrderRequest__Output as _dtx_v1_CreateOrderRequest__Output } from '../../dtx/v1/CreateOrderRequest';
import type { GetOrderRequest as _dtx_v1_GetOrderRequest, GetOrderRequest__Output as _dtx_v1_GetOrderRequest__Output } from '../../dtx/v1/GetOrderRequest';
import type { ListOrdersRequest as _dtx_v1_ListOrdersRequest, ListOrdersRequest__Output as _dtx_v1_ListOrdersRequest__Output } from '../../dtx/v1/ListOrdersRequest';
import type { ListOrdersResponse as _dtx_v1_ListOrdersResponse, ListOrdersResponse__Output as _dtx_v1_ListOrdersResponse__Output } from '../../dtx/v1/ListOrdersResponse';
import type { Order as _dtx_v1_Order, Order__Output as _dtx_v1_Order__Output } from '../../dtx/v1/Order';
import type { OrderBranchRequest as _dtx_v1_OrderBranchRequest, OrderBranchRequest__Output as _dtx_v1_OrderBranchRequest__Output } from '../../dtx/v1/OrderBranchRequest';
import type { OrderResult as _dtx_v1_OrderResult, OrderResult__Output as _dtx_v1_OrderResult__Output } from '../../dtx/v1/OrderResult';

export interface OrderServiceClient extends grpc.Client {
  CancelOrder(argument: _dtx_v1_OrderBranchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_OrderResult__Output>): grpc.ClientUnaryCall;
  CancelOrder(argument: _dtx_v1_OrderBranchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_OrderResult__Output>): grpc.ClientUnaryCall;
  CancelOrder(argument: _dtx_v1_OrderBranchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_OrderResult__Output>): grpc.ClientUnaryCall;
  CancelOrder(argument: _dtx_v1_OrderBranchRequest, callback: grpc.requestCallback<_dtx_v1_OrderResult__Output>): grpc.ClientUnaryCall;
  cancelOrder(argument: _dtx_v1_OrderBranchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_OrderResult__Output>): grpc.ClientUnaryCall;
  cancelOrder(argument: _dtx_v1_OrderBranchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_OrderResult__Output>): grpc.ClientUnaryCall;
  cancelOrder(argument: _dtx_v1_OrderBranchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_OrderResult__Output>): grpc.ClientUnaryCall;
  cancelOrder(argument: _dtx_v1_OrderBranchRequest, callback: grpc.requestCallback<_dtx_v1_OrderResult__Output>): grpc.ClientUnaryCall;
  
  ConfirmOrder(argument: _dtx_v1_OrderBranchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_OrderResult__Output>): grpc.ClientUnaryCall;
  ConfirmOrder(argument: _dtx_v1_OrderBranchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_OrderResult__Output>): grpc.ClientUnaryCall;
  ConfirmOrder(argument: _dtx_v1_OrderBranchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_OrderResult__Output>): grpc.ClientUnaryCall;
  ConfirmOrder(argument: _dtx_v1_OrderBranchRequest, callback: grpc.requestCallback<_dtx_v1_OrderResult__Output>): grpc.ClientUnaryCall;
  confirmOrder(argument: _dtx_v1_OrderBranchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_OrderResult__Output>): grpc.ClientUnaryCall;
  confirmOrder(argument: _dtx_v1_OrderBranchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_OrderResult__Output>): grpc.ClientUnaryCall;
  confirmOrder(argument: _dtx_v1_OrderBranchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_OrderResult__Output>): grpc.ClientUnaryCall;
  confirmOrder(argument: _dtx_v1_OrderBranchRequest, callback: grpc.requestCallback<_dtx_v1_OrderResult__Output>): grpc.ClientUnaryCall;
  
  CreateOrder(argument: _dtx_v1_CreateOrderRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_OrderResult__Output>): grpc.ClientUnaryCall;
  CreateOrder(argument: _dtx_v1_CreateOrderRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_OrderResult__Output>): grpc.ClientUnaryCall;
  CreateOrder(argument: _dtx_v1_CreateOrderRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_OrderResult__Output>): grpc.ClientUnaryCall;
  CreateOrder(argument: _dtx_v1_CreateOrderRequest, callback: grpc.requestCallback<_dtx_v1_OrderResult__Output>): grpc.ClientUnaryCall;
  createOrder(argument: _dtx_v1_CreateOrderRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_OrderResult__Output>): grpc.ClientUnaryCall;
  createOrder(argument: _dtx_v1_CreateOrderRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_OrderResult__Output>): grpc.ClientUnaryCall;
  createOrder(argument: _dtx_v1_CreateOrderRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_OrderResult__Output>): grpc.ClientUnaryCall;
  createOrder(argument: _dtx_v1_CreateOrderRequest, callback: grpc.requestCallback<_dtx_v1_OrderResult__Output>): grpc.ClientUnaryCall;
  
  GetOrder(argument: _dtx_v1_GetOrderRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_Order__Output>): grpc.ClientUnaryCall;
  GetOrder(argument: _dtx_v1_GetOrderRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_Order__Output>): grpc.ClientUnaryCall;
  GetOrder(argument: _dtx_v1_GetOrderRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_Order__Output>): grpc.ClientUnaryCall;
  GetOrder(argument: _dtx_v1_GetOrderRequest, callback: grpc.requestCallback<_dtx_v1_Order__Output>): grpc.ClientUnaryCall;
  getOrder(argument: _dtx_v1_GetOrderRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_Order__Output>): grpc.ClientUnaryCall;
  getOrder(argument: _dtx_v1_GetOrderRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_Order__Output>): grpc.ClientUnaryCall;
  getOrder(argument: _dtx_v1_GetOrderRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_Order__Output>): grpc.ClientUnaryCall;
  getOrder(argument: _dtx_v1_GetOrderRequest, callback: grpc.requestCallback<_dtx_v1_Order__Output>): grpc.ClientUnaryCall;
  
  ListOrders(argument: _dtx_v1_ListOrdersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_ListOrdersResponse__Output>): grpc.ClientUnaryCall;
  ListOrders(argument: _dtx_v1_ListOrdersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_ListOrdersResponse__Output>): grpc.ClientUnaryCall;
  ListOrders(argument: _dtx_v1_ListOrdersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_ListOrdersResponse__Output>): grpc.ClientUnaryCall;
  ListOrders(argument: _dtx_v1_ListOrdersRequest, callback: grpc.requestCallback<_dtx_v1_ListOrdersResponse__Output>): grpc.ClientUnaryCall;
  listOrders(argument: _dtx_v1_ListOrdersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_ListOrdersResponse__Output>): grpc.ClientUnaryCall;
  listOrders(argument: _dtx_v1_ListOrdersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_ListOrdersResponse__Output>): grpc.ClientUnaryCall;
  listOrders(argument: _dtx_v1_ListOrdersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_ListOrdersResponse__Output>): grpc.ClientUnaryCall;
  listOrders(argument: _dtx_v1_ListOrdersRequest, callback: grpc.requestCallback<_dtx_v1_ListOrdersResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface OrderServiceHandlers extends grpc.UntypedServiceImplementation {
  CancelOrder: grpc.handleUnaryCall<_dtx_v1_OrderBranchRequest__Output, _dtx_v1_OrderResult>;
  
  ConfirmOrder: grpc.handleUnaryCall<_dtx_v1_OrderBranchRequest__Output, _dtx_v1_OrderResult>;
  
  CreateOrder: grpc.handleUnaryCall<_dtx_v1_CreateOrderRequest__Output, _dtx_v1_OrderResult>;
  
  GetOrder: grpc.handleUnaryCall<_dtx_v1_GetOrderRequest__Output, _dtx_v1_Order>;
  
  ListOrders: grpc.handleUnaryCall<_dtx_v1_ListOrdersRequest__Output, _dtx_v1_ListOrdersResponse>;
  
}

export interface OrderServiceDefinition extends grpc.ServiceDefinition {
  CancelOrder: MethodDefinition<_dtx_v1_OrderBranchRequest, _dtx_v1_OrderResult, _dtx_v1_OrderBranchRequest__Output, _dtx_v1_OrderResult__Output>
  ConfirmOrder: MethodDefinition<_dtx_v1_OrderBranchRequest, _dtx_v1_OrderResult, _dtx_v1_OrderBranchRequest__Output, _dtx_v1_OrderResult__Output>
  CreateOrder: MethodDefinition<_dtx_v1_CreateOrderRequest, _dtx_v1_OrderResult, _dtx_v1_CreateOrderRequest__Output, _dtx_v1_OrderResult__Output>
  GetOrder: MethodDefinition<_dtx_v1_GetOrderRequest, _dtx_v1_Order, _dtx_v1_GetOrderRequest__Output, _dtx_v1_Order__Output>
  ListOrders: MethodDefinition<_dtx_v1_ListOrdersRequest, _dtx_v1_ListOrdersResponse, _dtx_v1_ListOrdersRequest__Output, _dtx_v1_ListOrdersResponse__Output>
}
