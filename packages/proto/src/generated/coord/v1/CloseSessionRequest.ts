// Original file: proto/coord/v1/coord.proto

import type { Long } from '@grpc/proto-loader';

export interface CloseSessionRequest {
  'sessionId'?: (number | string | Long);
}

export interface CloseSessionRequest__Output {
  'sessionId': (number);
}
