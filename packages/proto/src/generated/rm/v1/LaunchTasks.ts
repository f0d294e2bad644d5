// Original file: proto/rm/v1/agent.proto

import type { TaskInfo as _rm_v1_TaskInfo, TaskInfo__Output as _rm_v1_TaskInfo__Output } from '../../rm/v1/TaskInfo';
import type { FrameworkInfo as _rm_v1_FrameworkInfo, FrameworkInfo__Output as _rm_v1_FrameworkInfo__Output } from '../../rm/v1/FrameworkInfo';

export interface LaunchTasks {
  'frameworkId'?: (string);
  'tasks'?: (_rm_v1_TaskInfo)[];
  'frameworkInfo'?: (_rm_v1_FrameworkInfo | null);
}

export interface LaunchTasks__Output {
  'frameworkId': (string);
  'tasks': (_rm_v1_TaskInfo__Output)[];
  'frameworkInfo': (_rm_v1_FrameworkInfo__Output | null);
}
