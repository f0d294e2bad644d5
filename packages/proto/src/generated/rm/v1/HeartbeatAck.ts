// Original file: proto/rm/v1/agent.proto

import type { Long } from '@grpc/proto-loader';

export interface HeartbeatAck {
  'sentAtMs'?: (number | string | Long);
}

export interface HeartbeatAck__Output {
  'sentAtMs': (number);
}
