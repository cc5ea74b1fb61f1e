import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Branch as _dtx_v1_Branch, Branch__Output as _dtx_v1_Branch__Output } from './dtx/v1/Branch';
import type { BranchRequest as _dtx_v1_BranchRequest, BranchRequest__Output as _dtx_v1_BranchRequest__Output } from './dtx/v1/BranchRequest';
import type { BranchResult as _dtx_v1_BranchResult, BranchResult__Output as _dtx_v1_BranchResult__Output } from './dtx/v1/BranchResult';
import type { Coupon as _dtx_v1_Coupon, Coupon__Output as _dtx_v1_Coupon__Output } from './dtx/v1/Coupon';
import type { CouponQuote as _dtx_v1_CouponQuote, CouponQuote__Output as _dtx_v1_CouponQuote__Output } from './dtx/v1/CouponQuote';
import type { CouponQuoteRequest as _dtx_v1_CouponQuoteRequest, CouponQuoteRequest__Output as _dtx_v1_CouponQuoteRequest__Output } from './dtx/v1/CouponQuoteRequest';
import type { CouponResult as _dtx_v1_CouponResult, CouponResult__Output as _dtx_v1_CouponResult__Output } from './dtx/v1/CouponResult';
import type { CouponServiceClient as _dtx_v1_CouponServiceClient, CouponServiceDefinition as _dtx_v1_CouponServiceDefinition } from './dtx/v1/CouponService';
import type { CouponUseRequest as _dtx_v1_CouponUseRequest, CouponUseRequest__Output as _dtx_v1_CouponUseRequest__Output } from './dtx/v1/CouponUseRequest';
import type { GetCouponRequest as _dtx_v1_GetCouponRequest, GetCouponRequest__Output as _dtx_v1_GetCouponRequest__Output } from './dtx/v1/GetCouponRequest';
import type { IssueCouponRequest as _dtx_v1_IssueCouponRequest, IssueCouponRequest__Output as _dtx_v1_IssueCouponRequest__Output } from './dtx/v1/IssueCouponRequest';
import type { Item as _dtx_v1_Item, Item__Output as _dtx_v1_Item__Output } from './dtx/v1/Item';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  dtx: {
    v1: {
      Branch: MessageTypeDefinition<_dtx_v1_Branch, _dtx_v1_Branch__Output>
      BranchRequest: MessageTypeDefinition<_dtx_v1_BranchRequest, _dtx_v1_BranchRequest__Output>
      BranchResult: MessageTypeDefinition<_dtx_v1_BranchResult, _dtx_v1_BranchResult__Output>
      Coupon: MessageTypeDefinition<_dtx_v1_Coupon, _dtx_v1_Coupon__Output>
      CouponQuote: MessageTypeDefinition<_dtx_v1_CouponQuote, _dtx_v1_CouponQuote__Output>
      CouponQuoteRequest: MessageTypeDefinition<_dtx_v1_CouponQuoteRequest, _dtx_v1_CouponQuoteRequest__Output>
      CouponResult: MessageTypeDefinition<_dtx_v1_CouponResult, _dtx_v1_CouponResult__Output>
      CouponService: SubtypeConstructor<typeof grpc.Client, _dtx_v1_CouponServiceClient> & { service: _dtx_v1_CouponServiceDefinition }
      CouponUseRequest: MessageTypeDefinition<_dtx_v1_CouponUseRequest, _dtx_v1_CouponUseRequest__Output>
      DiscountType: EnumTypeDefinition
      GetCouponRequest: MessageTypeDefinition<_dtx_v1_GetCouponRequest, _dtx_v1_GetCouponRequest__Output>
      IssueCouponRequest: MessageTypeDefinition<_dtx_v1_IssueCouponRequest, _dtx_v1_IssueCouponRequest__Output>
      Item: MessageTypeDefinition<_dtx_v1_Item, _dtx_v1_Item__Output>
      Outcome: EnumTypeDefinition
    }
  }
}

