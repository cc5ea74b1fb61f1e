// Original file: proto/dtx/v1/order.proto


export interface ListOrdersRequest {
  'customerId'?: (string);
  'pageSize'?: (number);
  'pageToken'?: (string);
}

export interface ListOrdersRequest__Output {
  'customerId': (string);
  'pageSize': (number);
  'pageToken': (string);
}
