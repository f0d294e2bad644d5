// Original file: proto/rm/v1/rm.proto

import type { TaskSummary as _rm_v1_TaskSummary, TaskSummary__Output as _rm_v1_TaskSummary__Output } from '../../rm/v1/TaskSummary';

export interface GetTaskResponse {
  'task'?: (_rm_v1_TaskSummary | null);
}

export interface GetTaskResponse__Output {
  'task': (_rm_v1_TaskSummary__Output | null);
}
