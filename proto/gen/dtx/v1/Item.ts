// Original file: proto/dtx/v1/common.proto


export interface Item {
  'sku'?: (string);
  'quantity'?: (number);
}

export interface Item__Output {
  'sku': (string);
  'quantity': (number);
}
