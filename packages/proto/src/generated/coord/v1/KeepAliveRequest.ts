// Original file: proto/coord/v1/coord.proto

import type { Long } from '@grpc/proto-loader';

export interface KeepAliveRequest {
  'sessionId'?: (number | string | Long);
}

export interface KeepAliveRequest__Output {
  'sessionId': (number);
}
