// Original file: proto/rm/v1/agent.proto

import type { TaskStatus as _rm_v1_TaskStatus, TaskStatus__Output as _rm_v1_TaskStatus__Output } from '../../rm/v1/TaskStatus';

export interface StatusUpdate {
  'status'?: (_rm_v1_TaskStatus | null);
  'latest'?: (_rm_v1_TaskStatus | null);
}

export interface StatusUpdate__Output {
  'status': (_rm_v1_TaskStatus__Output | null);
  'latest': (_rm_v1_TaskStatus__Output | null);
}
