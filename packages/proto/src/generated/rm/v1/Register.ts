// Original file: proto/rm/v1/agent.proto

import type { AgentInfo as _rm_v1_AgentInfo, AgentInfo__Output as _rm_v1_AgentInfo__Output } from '../../rm/v1/AgentInfo';
import type { RunningTask as _rm_v1_RunningTask, RunningTask__Output as _rm_v1_RunningTask__Output } from '../../rm/v1/RunningTask';
import type { TaskStatus as _rm_v1_TaskStatus, TaskStatus__Output as _rm_v1_TaskStatus__Output } from '../../rm/v1/TaskStatus';
import type { Long } from '@grpc/proto-loader';

export interface Register {
  'info'?: (_rm_v1_AgentInfo | null);
  'tasks'?: (_rm_v1_RunningTask)[];
  'unacknowledged'?: (_rm_v1_TaskStatus)[];
  'startedAtMs'?: (number | string | Long);
}

export interface Register__Output {
  'info': (_rm_v1_AgentInfo__Output | null);
  'tasks': (_rm_v1_RunningTask__Output)[];
  'unacknowledged': (_rm_v1_TaskStatus__Output)[];
  'startedAtMs': (number);
}
