// Original file: proto/dtx/v1/inventory.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { BranchRequest as _dtx_v1_BranchRequest, BranchRequest__Output as _dtx_v1_BranchRequest__Output } from '../../dtx/v1/BranchRequest';
import type { BranchResult as _dtx_v1_BranchResult, BranchResult__Output as _dtx_v1_BranchResult__Output } from '../../dtx/v1/BranchResult';
import type { GetStockRequest as _dtx_v1_GetStockRequest, GetStockRequest__Output as _dtx_v1_GetStockRequest__Output } from '../../dtx/v1/GetStockRequest';
import type { GetStockResponse as _dtx_v1_GetStockResponse, GetStockResponse__Output as _dtx_v1_GetStockResponse__Output } from '../../dtx/v1/GetStockResponse';
import type { Product as _dtx_v1_Product, Product__Output as _dtx_v1_Product__Output } from '../../dtx/v1/Product';
import type { QuoteRequest as _dtx_v1_QuoteRequest, QuoteRequest__Output as _dtx_v1_QuoteRequest__Output } from '../../dtx/v1/QuoteRequest';
import type { QuoteResponse as _dtx_v1_QuoteResponse, QuoteResponse__Output as _dtx_v1_QuoteResponse__Output } from '../../dtx/v1/QuoteResponse';
import type { ReservationResult as _dtx_v1_ReservationResult, ReservationResult__Output as _dtx_v1_ReservationResult__Output } from '../../dtx/v1/ReservationResult';
import type { ReserveRequest as _dtx_v1_ReserveRequest, ReserveRequest__Output as _dtx_v1_ReserveRequest__Output } from '../../dtx/v1/ReserveRequest';
import type { SetStockRequest as _dtx_v1_SetStockRequest, SetStockRequest__Output as _dtx_v1_SetStockRequest__Output } from '../../dtx/v1/SetStockRequest';
import type { Stock as _dtx_v1_Stock, Stock__Output as _dtx_v1_Stock__Output } from '../../dtx/v1/Stock';

export interface InventoryServiceClient extends grpc.Client {
  CancelReserve(argument: _dtx_v1_BranchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  CancelReserve(argument: _dtx_v1_BranchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  CancelReserve(argument: _dtx_v1_BranchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  CancelReserve(argument: _dtx_v1_BranchRequest, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  cancelReserve(argument: _dtx_v1_BranchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  cancelReserve(argument: _dtx_v1_BranchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  cancelReserve(argument: _dtx_v1_BranchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  cancelReserve(argument: _dtx_v1_BranchRequest, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  
  ConfirmReserve(argument: _dtx_v1_BranchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  ConfirmReserve(argument: _dtx_v1_BranchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  ConfirmReserve(argument: _dtx_v1_BranchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  ConfirmReserve(argument: _dtx_v1_BranchRequest, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  confirmReserve(argument: _dtx_v1_BranchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  confirmReserve(argument: _dtx_v1_BranchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  confirmReserve(argument: _dtx_v1_BranchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  confirmReserve(argument: _dtx_v1_BranchRequest, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  
  GetStock(argument: _dtx_v1_GetStockRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_GetStockResponse__Output>): grpc.ClientUnaryCall;
  GetStock(argument: _dtx_v1_GetStockRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_GetStockResponse__Output>): grpc.ClientUnaryCall;
  GetStock(argument: _dtx_v1_GetStockRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_GetStockResponse__Output>): grpc.ClientUnaryCall;
  GetStock(argument: _dtx_v1_GetStockRequest, callback: grpc.requestCallback<_dtx_v1_GetStockResponse__Output>): grpc.ClientUnaryCall;
  getStock(argument: _dtx_v1_GetStockRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_GetStockResponse__Output>): grpc.ClientUnaryCall;
  getStock(argument: _dtx_v1_GetStockRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_GetStockResponse__Output>): grpc.ClientUnaryCall;
  getStock(argument: _dtx_v1_GetStockRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_GetStockResponse__Output>): grpc.ClientUnaryCall;
  getStock(argument: _dtx_v1_GetStockRequest, callback: grpc.requestCallback<_dtx_v1_GetStockResponse__Output>): grpc.ClientUnaryCall;
  
  Quote(argument: _dtx_v1_QuoteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  Quote(argument: _dtx_v1_QuoteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  Quote(argument: _dtx_v1_QuoteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  Quote(argument: _dtx_v1_QuoteRequest, callback: grpc.requestCallback<_dtx_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  quote(argument: _dtx_v1_QuoteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  quote(argument: _dtx_v1_QuoteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  quote(argument: _dtx_v1_QuoteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  quote(argument: _dtx_v1_QuoteRequest, callback: grpc.requestCallback<_dtx_v1_QuoteResponse__Output>): grpc.ClientUnaryCall;
  
  Release(argument: _dtx_v1_BranchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  Release(argument: _dtx_v1_BranchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  Release(argument: _dtx_v1_BranchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  Release(argument: _dtx_v1_BranchRequest, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  release(argument: _dtx_v1_BranchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  release(argument: _dtx_v1_BranchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  release(argument: _dtx_v1_BranchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  release(argument: _dtx_v1_BranchRequest, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  
  Reserve(argument: _dtx_v1_ReserveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_ReservationResult__Output>): grpc.ClientUnaryCall;
  Reserve(argument: _dtx_v1_ReserveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_ReservationResult__Output>): grpc.ClientUnaryCall;
  Reserve(argument: _dtx_v1_ReserveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_ReservationResult__Output>): grpc.ClientUnaryCall;
  Reserve(argument: _dtx_v1_ReserveRequest, callback: grpc.requestCallback<_dtx_v1_ReservationResult__Output>): grpc.ClientUnaryCall;
  reserve(argument: _dtx_v1_ReserveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_ReservationResult__Output>): grpc.ClientUnaryCall;
  reserve(argument: _dtx_v1_ReserveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_ReservationResult__Output>): grpc.ClientUnaryCall;
  reserve(argument: _dtx_v1_ReserveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_ReservationResult__Output>): grpc.ClientUnaryCall;
  reserve(argument: _dtx_v1_ReserveRequest, callback: grpc.requestCallback<_dtx_v1_ReservationResult__Output>): grpc.ClientUnaryCall;
  
  SetStock(argument: _dtx_v1_SetStockRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_Stock__Output>): grpc.ClientUnaryCall;
  SetStock(argument: _dtx_v1_SetStockRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_Stock__Output>): grpc.ClientUnaryCall;
  SetStock(argument: _dtx_v1_SetStockRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_Stock__Output>): grpc.ClientUnaryCall;
  SetStock(argument: _dtx_v1_SetStockRequest, callback: grpc.requestCallback<_dtx_v1_Stock__Output>): grpc.ClientUnaryCall;
  setStock(argument: _dtx_v1_SetStockRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_Stock__Output>): grpc.ClientUnaryCall;
  setStock(argument: _dtx_v1_SetStockRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_Stock__Output>): grpc.ClientUnaryCall;
  setStock(argument: _dtx_v1_SetStockRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_Stock__Output>): grpc.ClientUnaryCall;
  setStock(argument: _dtx_v1_SetStockRequest, callback: grpc.requestCallback<_dtx_v1_Stock__Output>): grpc.ClientUnaryCall;
  
  TryReserve(argument: _dtx_v1_ReserveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_ReservationResult__Output>): grpc.ClientUnaryCall;
  TryReserve(argument: _dtx_v1_ReserveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_ReservationResult__Output>): grpc.ClientUnaryCall;
  TryReserve(argument: _dtx_v1_ReserveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_ReservationResult__Output>): grpc.ClientUnaryCall;
  TryReserve(argument: _dtx_v1_ReserveRequest, callback: grpc.requestCallback<_dtx_v1_ReservationResult__Output>): grpc.ClientUnaryCall;
  tryReserve(argument: _dtx_v1_ReserveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_ReservationResult__Output>): grpc.ClientUnaryCall;
  tryReserve(argument: _dtx_v1_ReserveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_ReservationResult__Output>): grpc.ClientUnaryCall;
  tryReserve(argument: _dtx_v1_ReserveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_ReservationResult__Output>): grpc.ClientUnaryCall;
  tryReserve(argument: _dtx_v1_ReserveRequest, callback: grpc.requestCallback<_dtx_v1_ReservationResult__Output>): grpc.ClientUnaryCall;
  
  UpsertProduct(argument: _dtx_v1_Product, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_Product__Output>): grpc.ClientUnaryCall;
  UpsertProduct(argument: _dtx_v1_Product, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_Product__Output>): grpc.ClientUnaryCall;
  UpsertProduct(argument: _dtx_v1_Product, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_Product__Output>): grpc.ClientUnaryCall;
  UpsertProduct(argument: _dtx_v1_Product, callback: grpc.requestCallback<_dtx_v1_Product__Output>): grpc.ClientUnaryCall;
  upsertProduct(argument: _dtx_v1_Product, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_Product__Output>): grpc.ClientUnaryCall;
  upsertProduct(argument: _dtx_v1_Product, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_Product__Output>): grpc.ClientUnaryCall;
  upsertProduct(argument: _dtx_v1_Product, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_Product__Output>): grpc.ClientUnaryCall;
  upsertProduct(argument: _dtx_v1_Product, callback: grpc.requestCallback<_dtx_v1_Product__Output>): grpc.ClientUnaryCall;
  
}

export interface InventoryServiceHandlers extends grpc.UntypedServiceImplementation {
  CancelReserve: grpc.handleUnaryCall<_dtx_v1_BranchRequest__Output, _dtx_v1_BranchResult>;
  
  ConfirmReserve: grpc.handleUnaryCall<_dtx_v1_BranchRequest__Output, _dtx_v1_BranchResult>;
  
  GetStock: grpc.handleUnaryCall<_dtx_v1_GetStockRequest__Output, _dtx_v1_GetStockResponse>;
  
  Quote: grpc.handleUnaryCall<_dtx_v1_QuoteRequest__Output, _dtx_v1_QuoteResponse>;
  
  Release: grpc.handleUnaryCall<_dtx_v1_BranchRequest__Output, _dtx_v1_BranchResult>;
  
  Reserve: grpc.handleUnaryCall<_dtx_v1_ReserveRequest__Output, _dtx_v1_ReservationResult>;
  
  SetStock: grpc.handleUnaryCall<_dtx_v1_SetStockRequest__Output, _dtx_v1_Stock>;
  
  TryReserve: grpc.handleUnaryCall<_dtx_v1_ReserveRequest__Output, _dtx_v1_ReservationResult>;
  
  UpsertProduct: grpc.handleUnaryCall<_dtx_v1_Product__Output, _dtx_v1_Product>;
  
}

export interface InventoryServiceDefinition extends grpc.ServiceDefinition {
  CancelReserve: MethodDefinition<_dtx_v1_BranchRequest, _dtx_v1_BranchResult, _dtx_v1_BranchRequest__Output, _dtx_v1_BranchResult__Output>
  ConfirmReserve: MethodDefinition<_dtx_v1_BranchRequest, _dtx_v1_BranchResult, _dtx_v1_BranchRequest__Output, _dtx_v1_BranchResult__Output>
  GetStock: MethodDefinition<_dtx_v1_GetStockRequest, _dtx_v1_GetStockResponse, _dtx_v1_GetStockRequest__Output, _dtx_v1_GetStockResponse__Output>
  Quote: MethodDefinition<_dtx_v1_QuoteRequest, _dtx_v1_QuoteResponse, _dtx_v1_QuoteRequest__Output, _dtx_v1_QuoteResponse__Output>
  Release: MethodDefinition<_dtx_v1_BranchRequest, _dtx_v1_BranchResult, _dtx_v1_BranchRequest__Output, _dtx_v1_BranchResult__Output>
  Reserve: MethodDefinition<_dtx_v1_ReserveRequest, _dtx_v1_ReservationResult, _dtx_v1_ReserveRequest__Output, _dtx_v1_ReservationResult__Output>
  SetStock: MethodDefinition<_dtx_v1_SetStockRequest, _dtx_v1_Stock, _dtx_v1_SetStockRequest__Output, _dtx_v1_Stock__Output>
  TryReserve: MethodDefinition<_dtx_v1_ReserveRequest, _dtx_v1_ReservationResult, _dtx_v1_ReserveRequest__Output, _dtx_v1_ReservationResult__Output>
  UpsertProduct: MethodDefinition<_dtx_v1_Product, _dtx_v1_Product, _dtx_v1_Product__Output, _dtx_v1_Product__Output>
}
