// Original file: proto/rm/v1/rm.proto

import type { AgentSummary as _rm_v1_AgentSummary, AgentSummary__Output as _rm_v1_AgentSummary__Output } from '../../rm/v1/AgentSummary';

export interface ListAgentsResponse {
  'agents'?: (_rm_v1_AgentSummary)[];
}

export interface ListAgentsResponse__Output {
  'agents': (_rm_v1_AgentSummary__Output)[];
}
