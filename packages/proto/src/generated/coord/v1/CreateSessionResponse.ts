// Original file: proto/coord/v1/coord.proto

import type { Long } from '@grpc/proto-loader';

export interface CreateSessionResponse {
  'sessionId'?: (number | string | Long);
  'password'?: (Buffer | Uint8Array | string);
  'timeoutMs'?: (number);
}

export interface CreateSessionResponse__Output {
  'sessionId': (number);
  'password': (Buffer);
  'timeoutMs': (number);
}
