// Original file: proto/coord/v1/coord.proto

import type { Long } from '@grpc/proto-loader';

export interface ConnectResponse {
  'sessionId'?: (number | string | Long);
  'password'?: (Buffer | Uint8Array | string);
  'timeoutMs'?: (number);
  'lastZxid'?: (number | string | Long);
  'serverId'?: (string);
  'acceptsBatches'?: (boolean);
}

export interface ConnectResponse__Output {
  'sessionId': (number);
  'password': (Buffer);
  'timeoutMs': (number);
  'lastZxid': (number);
  'serverId': (string);
  'acceptsBatches': (boolean);
}
