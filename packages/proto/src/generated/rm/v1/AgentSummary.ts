// Original file: proto/rm/v1/rm.proto

import type { AgentInfo as _rm_v1_AgentInfo, AgentInfo__Output as _rm_v1_AgentInfo__Output } from '../../rm/v1/AgentInfo';
import type { AgentState as _rm_v1_AgentState, AgentState__Output as _rm_v1_AgentState__Output } from '../../rm/v1/AgentState';
import type { Resources as _rm_v1_Resources, Resources__Output as _rm_v1_Resources__Output } from '../../rm/v1/Resources';
import type { Long } from '@grpc/proto-loader';

export interface AgentSummary {
  'info'?: (_rm_v1_AgentInfo | null);
  'state'?: (_rm_v1_AgentState);
  'connected'?: (boolean);
  'used'?: (_rm_v1_Resources | null);
  'offered'?: (_rm_v1_Resources | null);
  'activeTasks'?: (number);
  'registeredAtMs'?: (number | string | Long);
}

export interface AgentSummary__Output {
  'info': (_rm_v1_AgentInfo__Output | null);
  'state': (_rm_v1_AgentState__Output);
  'connected': (boolean);
  'used': (_rm_v1_Resources__Output | null);
  'offered': (_rm_v1_Resources__Output | null);
  'activeTasks': (number);
  'registeredAtMs': (number);
}
