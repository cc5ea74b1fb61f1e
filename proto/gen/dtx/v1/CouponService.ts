// Original file: proto/dtx/v1/coupon.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { BranchRequest as _dtx_v1_BranchRequest, BranchRequest__Output as _dtx_v1_BranchRequest__Output } from '../../dtx/v1/BranchRequest';
import type { BranchResult as _dtx_v1_BranchResult, BranchResult__Output as _dtx_v1_BranchResult__Output } from '../../dtx/v1/BranchResult';
import type { Coupon as _dtx_v1_Coupon, Coupon__Output as _dtx_v1_Coupon__Output } from '../../dtx/v1/Coupon';
import type { CouponQuote as _dtx_v1_CouponQuote, CouponQuote__Output as _dtx_v1_CouponQuote__Output } from '../../dtx/v1/CouponQuote';
import type { CouponQuoteRequest as _dtx_v1_CouponQuoteRequest, CouponQuoteRequest__Output as _dtx_v1_CouponQuoteRequest__Output } from '../../dtx/v1/CouponQuoteRequest';
import type { CouponResult as _dtx_v1_CouponResult, CouponResult__Output as _dtx_v1_CouponResult__Output } from '../../dtx/v1/CouponResult';
import type { CouponUseRequest as _dtx_v1_CouponUseRequest, CouponUseRequest__Output as _dtx_v1_CouponUseRequest__Output } from '../../dtx/v1/CouponUseRequest';
import type { GetCouponRequest as _dtx_v1_GetCouponRequest, GetCouponRequest__Output as _dtx_v1_GetCouponRequest__Output } from '../../dtx/v1/GetCouponRequest';
import type { IssueCouponRequest as _dtx_v1_IssueCouponRequest, IssueCouponRequest__Output as _dtx_v1_IssueCouponRequest__Output } from '../../dtx/v1/IssueCouponRequest';

export interface CouponServiceClient extends grpc.Client {
  Cancel(argument: _dtx_v1_BranchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  Cancel(argument: _dtx_v1_BranchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  Cancel(argument: _dtx_v1_BranchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  Cancel(argument: _dtx_v1_BranchRequest, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  cancel(argument: _dtx_v1_BranchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  cancel(argument: _dtx_v1_BranchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  cancel(argument: _dtx_v1_BranchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  cancel(argument: _dtx_v1_BranchRequest, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  
  Confirm(argument: _dtx_v1_BranchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  Confirm(argument: _dtx_v1_BranchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  Confirm(argument: _dtx_v1_BranchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  Confirm(argument: _dtx_v1_BranchRequest, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  confirm(argument: _dtx_v1_BranchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  confirm(argument: _dtx_v1_BranchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  confirm(argument: _dtx_v1_BranchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  confirm(argument: _dtx_v1_BranchRequest, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  
  GetCoupon(argument: _dtx_v1_GetCouponRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_Coupon__Output>): grpc.ClientUnaryCall;
  GetCoupon(argument: _dtx_v1_GetCouponRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_Coupon__Output>): grpc.ClientUnaryCall;
  GetCoupon(argument: _dtx_v1_GetCouponRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_Coupon__Output>): grpc.ClientUnaryCall;
  GetCoupon(argument: _dtx_v1_GetCouponRequest, callback: grpc.requestCallback<_dtx_v1_Coupon__Output>): grpc.ClientUnaryCall;
  getCoupon(argument: _dtx_v1_GetCouponRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_Coupon__Output>): grpc.ClientUnaryCall;
  getCoupon(argument: _dtx_v1_GetCouponRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_Coupon__Output>): grpc.ClientUnaryCall;
  getCoupon(argument: _dtx_v1_GetCouponRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_Coupon__Output>): grpc.ClientUnaryCall;
  getCoupon(argument: _dtx_v1_GetCouponRequest, callback: grpc.requestCallback<_dtx_v1_Coupon__Output>): grpc.ClientUnaryCall;
  
  IssueCoupon(argument: _dtx_v1_IssueCouponRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_Coupon__Output>): grpc.ClientUnaryCall;
  IssueCoupon(argument: _dtx_v1_IssueCouponRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_Coupon__Output>): grpc.ClientUnaryCall;
  IssueCoupon(argument: _dtx_v1_IssueCouponRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_Coupon__Output>): grpc.ClientUnaryCall;
  IssueCoupon(argument: _dtx_v1_IssueCouponRequest, callback: grpc.requestCallback<_dtx_v1_Coupon__Output>): grpc.ClientUnaryCall;
  issueCoupon(argument: _dtx_v1_IssueCouponRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_Coupon__Output>): grpc.ClientUnaryCall;
  issueCoupon(argument: _dtx_v1_IssueCouponRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_Coupon__Output>): grpc.ClientUnaryCall;
  issueCoupon(argument: _dtx_v1_IssueCouponRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_Coupon__Output>): grpc.ClientUnaryCall;
  issueCoupon(argument: _dtx_v1_IssueCouponRequest, callback: grpc.requestCallback<_dtx_v1_Coupon__Output>): grpc.ClientUnaryCall;
  
  Quote(argument: _dtx_v1_CouponQuoteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_CouponQuote__Output>): grpc.ClientUnaryCall;
  Quote(argument: _dtx_v1_CouponQuoteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_CouponQuote__Output>): grpc.ClientUnaryCall;
  Quote(argument: _dtx_v1_CouponQuoteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_CouponQuote__Output>): grpc.ClientUnaryCall;
  Quote(argument: _dtx_v1_CouponQuoteRequest, callback: grpc.requestCallback<_dtx_v1_CouponQuote__Output>): grpc.ClientUnaryCall;
  quote(argument: _dtx_v1_CouponQuoteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_CouponQuote__Output>): grpc.ClientUnaryCall;
  quote(argument: _dtx_v1_CouponQuoteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_CouponQuote__Output>): grpc.ClientUnaryCall;
  quote(argument: _dtx_v1_CouponQuoteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_CouponQuote__Output>): grpc.ClientUnaryCall;
  quote(argument: _dtx_v1_CouponQuoteRequest, callback: grpc.requestCallback<_dtx_v1_CouponQuote__Output>): grpc.ClientUnaryCall;
  
  Redeem(argument: _dtx_v1_CouponUseRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_CouponResult__Output>): grpc.ClientUnaryCall;
  Redeem(argument: _dtx_v1_CouponUseRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_CouponResult__Output>): grpc.ClientUnaryCall;
  Redeem(argument: _dtx_v1_CouponUseRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_CouponResult__Output>): grpc.ClientUnaryCall;
  Redeem(argument: _dtx_v1_CouponUseRequest, callback: grpc.requestCallback<_dtx_v1_CouponResult__Output>): grpc.ClientUnaryCall;
  redeem(argument: _dtx_v1_CouponUseRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_CouponResult__Output>): grpc.ClientUnaryCall;
  redeem(argument: _dtx_v1_CouponUseRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_CouponResult__Output>): grpc.ClientUnaryCall;
  redeem(argument: _dtx_v1_CouponUseRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_CouponResult__Output>): grpc.ClientUnaryCall;
  redeem(argument: _dtx_v1_CouponUseRequest, callback: grpc.requestCallback<_dtx_v1_CouponResult__Output>): grpc.ClientUnaryCall;
  
  Restore(argument: _dtx_v1_BranchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  Restore(argument: _dtx_v1_BranchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  Restore(argument: _dtx_v1_BranchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  Restore(argument: _dtx_v1_BranchRequest, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  restore(argument: _dtx_v1_BranchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  restore(argument: _dtx_v1_BranchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  restore(argument: _dtx_v1_BranchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  restore(argument: _dtx_v1_BranchRequest, callback: grpc.requestCallback<_dtx_v1_BranchResult__Output>): grpc.ClientUnaryCall;
  
  TryLock(argument: _dtx_v1_CouponUseRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_CouponResult__Output>): grpc.ClientUnaryCall;
  TryLock(argument: _dtx_v1_CouponUseRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_CouponResult__Output>): grpc.ClientUnaryCall;
  TryLock(argument: _dtx_v1_CouponUseRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_CouponResult__Output>): grpc.ClientUnaryCall;
  TryLock(argument: _dtx_v1_CouponUseRequest, callback: grpc.requestCallback<_dtx_v1_CouponResult__Output>): grpc.ClientUnaryCall;
  tryLock(argument: _dtx_v1_CouponUseRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_CouponResult__Output>): grpc.ClientUnaryCall;
  tryLock(argument: _dtx_v1_CouponUseRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dtx_v1_CouponResult__Output>): grpc.ClientUnaryCall;
  tryLock(argument: _dtx_v1_CouponUseRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dtx_v1_CouponResult__Output>): grpc.ClientUnaryCall;
  tryLock(argument: _dtx_v1_CouponUseRequest, callback: grpc.requestCallback<_dtx_v1_CouponResult__Output>): grpc.ClientUnaryCall;
  
}

export interface CouponServiceHandlers extends grpc.UntypedServiceImplementation {
  Cancel: grpc.handleUnaryCall<_dtx_v1_BranchRequest__Output, _dtx_v1_BranchResult>;
  
  Confirm: grpc.handleUnaryCall<_dtx_v1_BranchRequest__Output, _dtx_v1_BranchResult>;
  
  GetCoupon: grpc.handleUnaryCall<_dtx_v1_GetCouponRequest__Output, _dtx_v1_Coupon>;
  
  IssueCoupon: grpc.handleUnaryCall<_dtx_v1_IssueCouponRequest__Output, _dtx_v1_Coupon>;
  
  Quote: grpc.handleUnaryCall<_dtx_v1_CouponQuoteRequest__Output, _dtx_v1_CouponQuote>;
  
  Redeem: grpc.handleUnaryCall<_dtx_v1_CouponUseRequest__Output, _dtx_v1_CouponResult>;
  
  Restore: grpc.handleUnaryCall<_dtx_v1_BranchRequest__Output, _dtx_v1_BranchResult>;
  
  TryLock: grpc.handleUnaryCall<_dtx_v1_CouponUseRequest__Output, _dtx_v1_CouponResult>;
  
}

export interface CouponServiceDefinition extends grpc.ServiceDefinition {
  Cancel: MethodDefinition<_dtx_v1_BranchRequest, _dtx_v1_BranchResult, _dtx_v1_BranchRequest__Output, _dtx_v1_BranchResult__Output>
  Confirm: MethodDefinition<_dtx_v1_BranchRequest, _dtx_v1_BranchResult, _dtx_v1_BranchRequest__Output, _dtx_v1_BranchResult__Output>
  GetCoupon: MethodDefinition<_dtx_v1_GetCouponRequest, _dtx_v1_Coupon, _dtx_v1_GetCouponRequest__Output, _dtx_v1_Coupon__Output>
  IssueCoupon: MethodDefinition<_dtx_v1_IssueCouponRequest, _dtx_v1_Coupon, _dtx_v1_IssueCouponRequest__Output, _dtx_v1_Coupon__Output>
  Quote: MethodDefinition<_dtx_v1_CouponQuoteRequest, _dtx_v1_CouponQuote, _dtx_v1_CouponQuoteRequest__Output, _dtx_v1_CouponQuote__Output>
  Redeem: MethodDefinition<_dtx_v1_CouponUseRequest, _dtx_v1_CouponResult, _dtx_v1_CouponUseRequest__Output, _dtx_v1_CouponResult__Output>
  Restore: MethodDefinition<_dtx_v1_BranchRequest, _dtx_v1_BranchResult, _dtx_v1_BranchRequest__Output, _dtx_v1_BranchResult__Output>
  TryLock: MethodDefinition<_dtx_v1_CouponUseRequest, _dtx_v1_CouponResult, _dtx_v1_CouponUseRequest__Output, _dtx_v1_CouponResult__Output>
}
