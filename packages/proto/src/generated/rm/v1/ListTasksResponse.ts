// Original file: proto/rm/v1/rm.proto

import type { TaskSummary as _rm_v1_TaskSummary, TaskSummary__Output as _rm_v1_TaskSummary__Output } from '../../rm/v1/TaskSummary';

export interface ListTasksResponse {
  'tasks'?: (_rm_v1_TaskSummary)[];
}

export interface ListTasksResponse__Output {
  'tasks': (_rm_v1_TaskSummary__Output)[];
}
