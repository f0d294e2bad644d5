// Original file: proto/rm/v1/agent.proto

import type { TaskState as _rm_v1_TaskState, TaskState__Output as _rm_v1_TaskState__Output } from '../../rm/v1/TaskState';
import type { Long } from '@grpc/proto-loader';

export interface AgentTask {
  'frameworkId'?: (string);
  'taskId'?: (string);
  'state'?: (_rm_v1_TaskState);
  'pid'?: (number);
  'sandbox'?: (string);
  'cpuUsageUsec'?: (number | string | Long);
  'memoryUsageBytes'?: (number | string | Long);
  'healthy'?: (boolean);
  'pendingUpdates'?: (number);
  '_healthy'?: "healthy";
}

export interface AgentTask__Output {
  'frameworkId': (string);
  'taskId': (string);
  'state': (_rm_v1_TaskState__Output);
  'pid': (number);
  'sandbox': (string);
  'cpuUsageUsec': (number);
  'memoryUsageBytes': (number);
  'healthy'?: (boolean);
  'pendingUpdates': (number);
  '_healthy'?: "healthy";
}
