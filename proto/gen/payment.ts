import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Branch as _dtx_v1_Branch, Branch__Output as _dtx_v1_Branch__Output } from './dtx/v1/Branch';
import type { BranchRequest as _dtx_v1_BranchRequest, BranchRequest__Output as _dtx_v1_BranchRequest__Output } from './dtx/v1/BranchRequest';
import type { BranchResult as _dtx_v1_BranchResult, BranchResult__Output as _dtx_v1_BranchResult__Output } from './dtx/v1/BranchResult';
import type { CreditRequest as _dtx_v1_CreditRequest, CreditRequest__Output as _dtx_v1_CreditRequest__Output } from './dtx/v1/CreditRequest';
import type { GetWalletRequest as _dtx_v1_GetWalletRequest, GetWalletRequest__Output as _dtx_v1_GetWalletRequest__Output } from './dtx/v1/GetWalletRequest';
import type { Item as _dtx_v1_Item, Item__Output as _dtx_v1_Item__Output } from './dtx/v1/Item';
import type { PaymentRequest as _dtx_v1_PaymentRequest, PaymentRequest__Output as _dtx_v1_PaymentRequest__Output } from './dtx/v1/PaymentRequest';
import type { PaymentResult as _dtx_v1_PaymentResult, PaymentResult__Output as _dtx_v1_PaymentResult__Output } from './dtx/v1/PaymentResult';
import type { PaymentServiceClient as _dtx_v1_PaymentServiceClient, PaymentServiceDefinition as _dtx_v1_PaymentServiceDefinition } from './dtx/v1/PaymentService';
import type { ProviderReport as _dtx_v1_ProviderReport, ProviderReport__Output as _dtx_v1_ProviderReport__Output } from './dtx/v1/ProviderReport';
import type { ProviderReportResult as _dtx_v1_ProviderReportResult, ProviderReportResult__Output as _dtx_v1_ProviderReportResult__Output } from './dtx/v1/ProviderReportResult';
import type { Wallet as _dtx_v1_Wallet, Wallet__Output as _dtx_v1_Wallet__Output } from './dtx/v1/Wallet';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  dtx: {
    v1: {
      Branch: MessageTypeDefinition<_dtx_v1_Branch, _dtx_v1_Branch__Output>
      BranchRequest: MessageTypeDefinition<_dtx_v1_BranchRequest, _dtx_v1_BranchRequest__Output>
      BranchResult: MessageTypeDefinition<_dtx_v1_BranchResult, _dtx_v1_BranchResult__Output>
      CreditRequest: MessageTypeDefinition<_dtx_v1_CreditRequest, _dtx_v1_CreditRequest__Output>
      GetWalletRequest: MessageTypeDefinition<_dtx_v1_GetWalletRequest, _dtx_v1_GetWalletRequest__Output>
      Item: MessageTypeDefinition<_dtx_v1_Item, _dtx_v1_Item__Output>
      Outcome: EnumTypeDefinition
      PaymentRequest: MessageTypeDefinition<_dtx_v1_PaymentRequest, _dtx_v1_PaymentRequest__Output>
      PaymentResult: MessageTypeDefinition<_dtx_v1_PaymentResult, _dtx_v1_PaymentResult__Output>
      PaymentService: SubtypeConstructor<typeof grpc.Client, _dtx_v1_PaymentServiceClient> & { service: _dtx_v1_PaymentServiceDefinition }
      ProviderReport: MessageTypeDefinition<_dtx_v1_ProviderReport, _dtx_v1_ProviderReport__Output>
      ProviderReportResult: MessageTypeDefinition<_dtx_v1_ProviderReportResult, _dtx_v1_ProviderReportResult__Output>
      ProviderResult: EnumTypeDefinition
      Wallet: MessageTypeDefinition<_dtx_v1_Wallet, _dtx_v1_Wallet__Output>
    }
  }
}

