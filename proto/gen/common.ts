import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Branch as _dtx_v1_Branch, Branch__Output as _dtx_v1_Branch__Output } from './dtx/v1/Branch';
import type { BranchRequest as _dtx_v1_BranchRequest, BranchRequest__Output as _dtx_v1_BranchRequest__Output } from './dtx/v1/BranchRequest';
import type { BranchResult as _dtx_v1_BranchResult, BranchResult__Output as _dtx_v1_BranchResult__Output } from './dtx/v1/BranchResult';
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
      Item: MessageTypeDefinition<_dtx_v1_Item, _dtx_v1_Item__Output>
      Outcome: EnumTypeDefinition
    }
  }
}

