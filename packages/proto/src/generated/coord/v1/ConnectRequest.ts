// Original file: proto/coord/v1/coord.proto

import type { Long } from '@grpc/proto-loader';

export interface ConnectRequest {
  'sessionId'?: (number | string | Long);
  'password'?: (Buffer | Uint8Array | string);
  'timeoutMs'?: (number);
  'lastZxidSeen'?: (number | string | Long);
  'readOnly'?: (boolean);
  'acceptsBatches'?: (boolean);
}

export interface ConnectRequest__Output {
  'sessionId': (number);
  'password': (Buffer);
  'timeoutMs': (number);
  'lastZxidSeen': (number);
  'readOnly': (boolean);
  'acceptsBatches': (boolean);
}
