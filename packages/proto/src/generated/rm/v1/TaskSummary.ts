// Original file: proto/rm/v1/rm.proto

import type { TaskInfo as _rm_v1_TaskInfo, TaskInfo__Output as _rm_v1_TaskInfo__Output } from '../../rm/v1/TaskInfo';
import type { TaskState as _rm_v1_TaskState, TaskState__Output as _rm_v1_TaskState__Output } from '../../rm/v1/TaskState';
import type { TaskStatus as _rm_v1_TaskStatus, TaskStatus__Output as _rm_v1_TaskStatus__Output } from '../../rm/v1/TaskStatus';
import type { Long } from '@grpc/proto-loader';

export interface TaskSummary {
  'info'?: (_rm_v1_TaskInfo | null);
  'frameworkId'?: (string);
  'agentId'?: (string);
  'state'?: (_rm_v1_TaskState);
  'lastStatus'?: (_rm_v1_TaskStatus | null);
  'createdAtMs'?: (number | string | Long);
  'updatedAtMs'?: (number | string | Long);
  'history'?: (_rm_v1_TaskStatus)[];
}

export interface TaskSummary__Output {
  'info': (_rm_v1_TaskInfo__Output | null);
  'frameworkId': (string);
  'agentId': (string);
  'state': (_rm_v1_TaskState__Output);
  'lastStatus': (_rm_v1_TaskStatus__Output | null);
  'createdAtMs': (number);
  'updatedAtMs': (number);
  'history': (_rm_v1_TaskStatus__Output)[];
}
