// Original file: proto/dtx/v1/payment.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { BranchRequest as _dtx_v1_BranchRequest, BranchRequest__Output as _dtx_v1_BranchRequest__Output } from '../../dtx/v1/BranchRequest';
import type { BranchResult as _dtx_v1_BranchResult, BranchResult__Output as _dtx_v1_BranchResult__Output } from '../../dtx/v1/BranchResult';
import type { CreditRequest as _dtx_v1_CreditRequest, CreditRequest__Output as _dtx_v1_CreditRequest__Output } from '../../dtx/v1/CreditRequest';
import type { GetWalletRequest as _dtx_v1_GetWalletRequest, GetWalletRequest__Output as _dtx_v1_GetWalletRequest__Output } from '../../dtx/v1/GetWalletRequest';
import type { PaymentRequest as _dtx_v1_PaymentRequest, PaymentRequest__Output as _dtx_v1_PaymentRequest__Output } from '../../dtx/v1/PaymentRequest';
import type { PaymentResult as _dtx_v1_PaymentResult, PaymentResult__Output as _dtx_v1_PaymentResult__Output } from '../../dtx/v1/PaymentResult';
import type { ProviderReport as _dtx_v1_ProviderReport, ProviderReport__Output as _dtx_v1_ProviderReport__Output } from '../../dtx/v1/ProviderReport';
import type { ProviderReportResult as _dtx_v1_ProviderReportResult, ProviderReportResult__Output as _dtx_v1_ProviderReportResult__Output } from '../../dtx/v1/ProviderReportResult';
import type { Wallet as _dtx_v1_Wallet, Wallet__Output as _dtx_v1_Wallet__Output } from '../../dtx/v1/Wallet';

export interface PaymentServiceClient extends grpc.Client {
  Authorize(argument: _dtx_v1_PaymentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_PaymentResult__Output>): grpc.ClientUnaryCall;
  Authorize(argument: _dtx_v1_PaymentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_PaymentResult__Output>): grpc.ClientUnaryCall;
  Authorize(argument: _dtx_v1_PaymentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_PaymentResult__Output>): grpc.ClientUnaryCall;
  Authorize(argument: _dtx_v1_PaymentRequest, callback: grpc.requestCallback<_dtx_v1_PaymentResult__Output>): grpc.ClientUnaryCall;
  authorize(argument: _dtx_v1_PaymentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_PaymentResult__Output>): grpc.ClientUnaryCall;
  authorize(argument: _dtx_v1_PaymentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_PaymentResult__Output>): grpc.ClientUnaryCall;
  authorize(argument: _dtx_v1_PaymentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_PaymentResult__Output>): grpc.ClientUnaryCall;
  authorize(argument: _dtx_v1_PaymentRequest, callback: grpc.requestCallback<_dtx_v1_PaymentResult__Output>): grpc.ClientUnaryCall;
  
  Cancel(argument: _dtx_v1_BranchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  Cancel(argument: _dtx_v1_BranchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  Cancel(argument: _dtx_v1_BranchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  Cancel(argument: _dtx_v1_BranchRequest, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  cancel(argument: _dtx_v1_BranchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  cancel(argument: _dtx_v1_BranchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  cancel(argument: _dtx_v1_BranchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  cancel(argument: _dtx_v1_BranchRequest, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  
  CancelAuthorization(argument: _dtx_v1_BranchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  CancelAuthorization(argument: _dtx_v1_BranchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  CancelAuthorization(argument: _dtx_v1_BranchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  CancelAuthorization(argument: _dtx_v1_BranchRequest, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  cancelAuthorization(argument: _dtx_v1_BranchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  cancelAuthorization(argument: _dtx_v1_BranchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  cancelAuthorization(argument: _dtx_v1_BranchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  cancelAuthorization(argument: _dtx_v1_BranchRequest, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  
  Charge(argument: _dtx_v1_PaymentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_PaymentResult__Output>): grpc.ClientUnaryCall;
  Charge(argument: _dtx_v1_PaymentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_PaymentResult__Output>): grpc.ClientUnaryCall;
  Charge(argument: _dtx_v1_PaymentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_PaymentResult__Output>): grpc.ClientUnaryCall;
  Charge(argument: _dtx_v1_PaymentRequest, callback: grpc.requestCallback<_dtx_v1_PaymentResult__Output>): grpc.ClientUnaryCall;
  charge(argument: _dtx_v1_PaymentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_PaymentResult__Output>): grpc.ClientUnaryCall;
  charge(argument: _dtx_v1_PaymentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_PaymentResult__Output>): grpc.ClientUnaryCall;
  charge(argument: _dtx_v1_PaymentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_PaymentResult__Output>): grpc.ClientUnaryCall;
  charge(argument: _dtx_v1_PaymentRequest, callback: grpc.requestCallback<_dtx_v1_PaymentResult__Output>): grpc.ClientUnaryCall;
  
  Confirm(argument: _dtx_v1_BranchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  Confirm(argument: _dtx_v1_BranchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  Confirm(argument: _dtx_v1_BranchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  Confirm(argument: _dtx_v1_BranchRequest, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  confirm(argument: _dtx_v1_BranchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  confirm(argument: _dtx_v1_BranchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  confirm(argument: _dtx_v1_BranchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  confirm(argument: _dtx_v1_BranchRequest, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  
  Credit(argument: _dtx_v1_CreditRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_PaymentResult__Output>): grpc.ClientUnaryCall;
  Credit(argument: _dtx_v1_CreditRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_PaymentResult__Output>): grpc.ClientUnaryCall;
  Credit(argument: _dtx_v1_CreditRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_PaymentResult__Output>): grpc.ClientUnaryCall;
  Credit(argument: _dtx_v1_CreditRequest, callback: grpc.requestCallback<_dtx_v1_PaymentResult__Output>): grpc.ClientUnaryCall;
  credit(argument: _dtx_v1_CreditRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_PaymentResult__Output>): grpc.ClientUnaryCall;
  credit(argument: _dtx_v1_CreditRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_PaymentResult__Output>): grpc.ClientUnaryCall;
  credit(argument: _dtx_v1_CreditRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_PaymentResult__Output>): grpc.ClientUnaryCall;
  credit(argument: _dtx_v1_CreditRequest, callback: grpc.requestCallback<_dtx_v1_PaymentResult__Output>): grpc.ClientUnaryCall;
  
  GetWallet(argument: _dtx_v1_GetWalletRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_Wallet__Output>): grpc.ClientUnaryCall;
  GetWallet(argument: _dtx_v1_GetWalletRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_Wallet__Output>): grpc.ClientUnaryCall;
  GetWallet(argument: _dtx_v1_GetWalletRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_Wallet__Output>): grpc.ClientUnaryCall;
  GetWallet(argument: _dtx_v1_GetWalletRequest, callback: grpc.requestCallback<_dtx_v1_Wallet__Output>): grpc.ClientUnaryCall;
  getWallet(argument: _dtx_v1_GetWalletRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_Wallet__Output>): grpc.ClientUnaryCall;
  getWallet(argument: _dtx_v1_GetWalletRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_Wallet__Output>): grpc.ClientUnaryCall;
  getWallet(argument: _dtx_v1_GetWalletRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_Wallet__Output>): grpc.ClientUnaryCall;
  getWallet(argument: _dtx_v1_GetWalletRequest, callback: grpc.requestCallback<_dtx_v1_Wallet__Output>): grpc.ClientUnaryCall;
  
  Refund(argument: _dtx_v1_BranchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  Refund(argument: _dtx_v1_BranchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  Refund(argument: _dtx_v1_BranchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  Refund(argument: _dtx_v1_BranchRequest, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  refund(argument: _dtx_v1_BranchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  refund(argument: _dtx_v1_BranchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  refund(argument: _dtx_v1_BranchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  refund(argument: _dtx_v1_BranchRequest, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  
  ReportResult(argument: _dtx_v1_ProviderReport, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_ProviderReportResult__Output>): grpc.ClientUnaryCall;
  ReportResult(argument: _dtx_v1_ProviderReport, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_ProviderReportResult__Output>): grpc.ClientUnaryCall;
  ReportResult(argument: _dtx_v1_ProviderReport, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_ProviderReportResult__Output>): grpc.ClientUnaryCall;
  ReportResult(argument: _dtx_v1_ProviderReport, callback: grpc.requestCallback<_dtx_v1_ProviderReportResult__Output>): grpc.ClientUnaryCall;
  reportResult(argument: _dtx_v1_ProviderReport, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_ProviderReportResult__Output>): grpc.ClientUnaryCall;
  reportResult(argument: _dtx_v1_ProviderReport, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_ProviderReportResult__Output>): grpc.ClientUnaryCall;
  reportResult(argument: _dtx_v1_ProviderReport, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_ProviderReportResult__Output>): grpc.ClientUnaryCall;
  reportResult(argument: _dtx_v1_ProviderReport, callback: grpc.requestCallback<_dtx_v1_ProviderReportResult__Output>): grpc.ClientUnaryCall;
  
  TryFreeze(argument: _dtx_v1_PaymentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_PaymentResult__Output>): grpc.ClientUnaryCall;
  TryFreeze(argument: _dtx_v1_PaymentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_PaymentResult__Output>): grpc.ClientUnaryCall;
  TryFreeze(argument: _dtx_v1_PaymentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_PaymentResult__Output>): grpc.ClientUnaryCall;
  TryFreeze(argument: _dtx_v1_PaymentRequest, callback: grpc.requestCallback<_dtx_v1_PaymentResult__Output>): grpc.ClientUnaryCall;
  tryFreeze(argument: _dtx_v1_PaymentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_PaymentResult__Output>): grpc.ClientUnaryCall;
  tryFreeze(argument: _dtx_v1_PaymentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_PaymentResult__Output>): grpc.ClientUnaryCall;
  tryFreeze(argument: _dtx_v1_PaymentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_PaymentResult__Output>): grpc.ClientUnaryCall;
  tryFreeze(argument: _dtx_v1_PaymentRequest, callback: grpc.requestCallback<_dtx_v1_PaymentResult__Output>): grpc.ClientUnaryCall;
  
}

export interface PaymentServiceHandlers extends grpc.UntypedServiceImplementation {
  Authorize: grpc.handleUnaryCall<_dtx_v1_PaymentRequest__Output, _dtx_v1_PaymentResult>;
  
  Cancel: grpc.handleUnaryCall<_dtx_v1_BranchRequest__Output, _dtx_v1_BranchResult>;
  
  CancelAuthorization: grpc.handleUnaryCall<_dtx_v1_BranchRequest__Output, _dtx_v1_BranchResult>;
  
  Charge: grpc.handleUnaryCall<_dtx_v1_PaymentRequest__Output, _dtx_v1_PaymentResult>;
  
  Confirm: grpc.handleUnaryCall<_dtx_v1_BranchRequest__Output, _dtx_v1_BranchResult>;
  
  Credit: grpc.handleUnaryCall<_dtx_v1_CreditRequest__Output, _dtx_v1_PaymentResult>;
  
  GetWallet: grpc.handleUnaryCall<_dtx_v1_GetWalletRequest__Output, _dtx_v1_Wallet>;
  
  Refund: grpc.handleUnaryCall<_dtx_v1_BranchRequest__Output, _dtx_v1_BranchResult>;
  
  ReportResult: grpc.handleUnaryCall<_dtx_v1_ProviderReport__Output, _dtx_v1_ProviderReportResult>;
  
  TryFreeze: grpc.handleUnaryCall<_dtx_v1_PaymentRequest__Output, _dtx_v1_PaymentResult>;
  
}

export interface PaymentServiceDefinition extends grpc.ServiceDefinition {
  Authorize: MethodDefinition<_dtx_v1_PaymentRequest, _dtx_v1_PaymentResult, _dtx_v1_PaymentRequest__Output, _dtx_v1_PaymentResult__Output>
  Cancel: MethodDefinition<_dtx_v1_BranchRequest, _dtx_v1_BranchResult, _dtx_v1_BranchRequest__Output, _dtx_v1_BranchResult__Output>
  CancelAuthorization: MethodDefinition<_dtx_v1_BranchRequest, _dtx_v1_BranchResult, _dtx_v1_BranchRequest__Output, _dtx_v1_BranchResult__Output>
  Charge: MethodDefinition<_dtx_v1_PaymentRequest, _dtx_v1_PaymentResult, _dtx_v1_PaymentRequest__Output, _dtx_v1_PaymentResult__Output>
  Confirm: MethodDefinition<_dtx_v1_BranchRequest, _dtx_v1_BranchResult, _dtx_v1_BranchRequest__Output, _dtx_v1_BranchResult__Output>
  Credit: MethodDefinition<_dtx_v1_CreditRequest, _dtx_v1_PaymentResult, _dtx_v1_CreditRequest__Output, _dtx_v1_PaymentResult__Output>
  GetWallet: MethodDefinition<_dtx_v1_GetWalletRequest, _dtx_v1_Wallet, _dtx_v1_GetWalletRequest__Output, _dtx_v1_Wallet__Output>
  Refund: MethodDefinition<_dtx_v1_BranchRequest, _dtx_v1_BranchResult, _dtx_v1_BranchRequest__Output, _dtx_v1_BranchResult__Output>
  ReportResult: MethodDefinition<_dtx_v1_ProviderReport, _dtx_v1_ProviderReportResult, _dtx_v1_ProviderReport__Output, _dtx_v1_ProviderReportResult__Output>
  TryFreeze: MethodDefinition<_dtx_v1_PaymentRequest, _dtx_v1_PaymentResult, _dtx_v1_PaymentRequest__Output, _dtx_v1_PaymentResult__Output>
}
