// Original file: proto/dtx/v1/order.proto


export interface GetOrderRequest {
  'orderId'?: (string);
}

export interface GetOrderRequest__Output {
  'orderId': (string);
}
