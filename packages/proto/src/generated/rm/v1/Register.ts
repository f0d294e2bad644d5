// Original file: proto/rm/v1/agent.proto

import type { AgentInfo as _rm_v1_AgentInfo, AgentInfo__Output as _rm_v1_AgentInfo__Output } from '../../rm/v1/AgentInfo';
import type { RunningTask as _rm_v1_RunningTask, RunningTask__Output as _rm_v1_RunningTask__Output } from '../../rm/v1/RunningTask';
import type { FrameworkInfo as _rm_v1_FrameworkInfo, FrameworkInfo__Output as _rm_v1_FrameworkInfo__Output } from '../../rm/v1/FrameworkInfo';
import type { Long } from '@grpc/proto-loader';

export interface Register {
  'info'?: (_rm_v1_AgentInfo | null);
  'tasks'?: (_rm_v1_RunningTask)[];
  'startedAtMs'?: (number | string | Long);
  'frameworks'?: (_rm_v1_FrameworkInfo)[];
}

export interface Register__Output {
  'info': (_rm_v1_AgentInfo__Output | null);
  'tasks': (_rm_v1_RunningTask__Output)[];
  'startedAtMs': (number);
  'frameworks': (_rm_v1_FrameworkInfo__Output)[];
}
