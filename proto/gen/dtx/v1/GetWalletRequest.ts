// Original file: proto/dtx/v1/payment.proto


export interface GetWalletRequest {
  'customerId'?: (string);
}

export interface GetWalletRequest__Output {
  'customerId': (string);
}
