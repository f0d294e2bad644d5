// Original file: proto/rm/v1/agent.proto

import type { Long } from '@grpc/proto-loader';

export interface KillTask {
  'frameworkId'?: (string);
  'taskId'?: (string);
  'killGracePeriodMs'?: (number | string | Long);
}

export interface KillTask__Output {
  'frameworkId': (string);
  'taskId': (string);
  'killGracePeriodMs': (number);
}
