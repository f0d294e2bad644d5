// Original file: proto/rm/v1/rm.proto

import type { TaskState as _rm_v1_TaskState, TaskState__Output as _rm_v1_TaskState__Output } from '../../rm/v1/TaskState';
import type { Reason as _rm_v1_Reason, Reason__Output as _rm_v1_Reason__Output } from '../../rm/v1/Reason';
import type { StatusSource as _rm_v1_StatusSource, StatusSource__Output as _rm_v1_StatusSource__Output } from '../../rm/v1/StatusSource';
import type { Long } from '@grpc/proto-loader';

export interface TaskStatus {
  'taskId'?: (string);
  'frameworkId'?: (string);
  'agentId'?: (string);
  'state'?: (_rm_v1_TaskState);
  'reason'?: (_rm_v1_Reason);
  'message'?: (string);
  'exitCode'?: (number);
  'signal'?: (string);
  'timestampMs'?: (number | string | Long);
  'uuid'?: (string);
  'source'?: (_rm_v1_StatusSource);
  'healthy'?: (boolean);
  '_exitCode'?: "exitCode";
  '_healthy'?: "healthy";
}

export interface TaskStatus__Output {
  'taskId': (string);
  'frameworkId': (string);
  'agentId': (string);
  'state': (_rm_v1_TaskState__Output);
  'reason': (_rm_v1_Reason__Output);
  'message': (string);
  'exitCode'?: (number);
  'signal': (string);
  'timestampMs': (number);
  'uuid': (string);
  'source': (_rm_v1_StatusSource__Output);
  'healthy'?: (boolean);
  '_exitCode'?: "exitCode";
  '_healthy'?: "healthy";
}
