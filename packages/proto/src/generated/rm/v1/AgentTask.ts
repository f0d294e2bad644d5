// Original file: proto/rm/v1/agent.proto

import type { TaskState as _rm_v1_TaskState, TaskState__Output as _rm_v1_TaskState__Output } from '../../rm/v1/TaskState';

export interface AgentTask {
  'frameworkId'?: (string);
  'taskId'?: (string);
  'state'?: (_rm_v1_TaskState);
  'pid'?: (number);
  'sandbox'?: (string);
}

export interface AgentTask__Output {
  'frameworkId': (string);
  'taskId': (string);
  'state': (_rm_v1_TaskState__Output);
  'pid': (number);
  'sandbox': (string);
}
