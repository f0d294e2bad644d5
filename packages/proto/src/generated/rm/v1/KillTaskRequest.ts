// Original file: proto/rm/v1/rm.proto

import type { Long } from '@grpc/proto-loader';

export interface KillTaskRequest {
  'taskId'?: (string);
  'killGracePeriodMs'?: (number | string | Long);
}

export interface KillTaskRequest__Output {
  'taskId': (string);
  'killGracePeriodMs': (number);
}
