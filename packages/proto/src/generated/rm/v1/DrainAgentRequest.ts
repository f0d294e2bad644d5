// Original file: proto/rm/v1/rm.proto

import type { Long } from '@grpc/proto-loader';

export interface DrainAgentRequest {
  'agentId'?: (string);
  'killGracePeriodMs'?: (number | string | Long);
}

export interface DrainAgentRequest__Output {
  'agentId': (string);
  'killGracePeriodMs': (number);
}
