// Original file: proto/rm/v1/agent.proto

import type { TaskInfo as _rm_v1_TaskInfo, TaskInfo__Output as _rm_v1_TaskInfo__Output } from '../../rm/v1/TaskInfo';

export interface LaunchTasks {
  'frameworkId'?: (string);
  'tasks'?: (_rm_v1_TaskInfo)[];
}

export interface LaunchTasks__Output {
  'frameworkId': (string);
  'tasks': (_rm_v1_TaskInfo__Output)[];
}
