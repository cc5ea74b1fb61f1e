// Original file: proto/dtx/v1/common.proto


export interface Branch {
  'txId'?: (string);
  'branchId'?: (string);
}

export interface Branch__Output {
  'txId': (string);
  'branchId': (string);
}
