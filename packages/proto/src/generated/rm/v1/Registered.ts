// Original file: proto/rm/v1/agent.proto

import type { Long } from '@grpc/proto-loader';

export interface Registered {
  'agentId'?: (string);
  'heartbeatIntervalMs'?: (number | string | Long);
  'masterAddress'?: (string);
}

export interface Registered__Output {
  'agentId': (string);
  'heartbeatIntervalMs': (number);
  'masterAddress': (string);
}
