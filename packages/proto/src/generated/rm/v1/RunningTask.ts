// Original file: proto/rm/v1/agent.proto

import type { TaskInfo as _rm_v1_TaskInfo, TaskInfo__Output as _rm_v1_TaskInfo__Output } from '../../rm/v1/TaskInfo';
import type { TaskState as _rm_v1_TaskState, TaskState__Output as _rm_v1_TaskState__Output } from '../../rm/v1/TaskState';

export interface RunningTask {
  'frameworkId'?: (string);
  'task'?: (_rm_v1_TaskInfo | null);
  'state'?: (_rm_v1_TaskState);
}

export interface RunningTask__Output {
  'frameworkId': (string);
  'task': (_rm_v1_TaskInfo__Output | null);
  'state': (_rm_v1_TaskState__Output);
}
