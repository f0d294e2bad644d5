// Original file: proto/rm/v1/agent.proto

import type { AgentInfo as _rm_v1_AgentInfo, AgentInfo__Output as _rm_v1_AgentInfo__Output } from '../../rm/v1/AgentInfo';
import type { AgentTask as _rm_v1_AgentTask, AgentTask__Output as _rm_v1_AgentTask__Output } from '../../rm/v1/AgentTask';

export interface GetAgentStateResponse {
  'info'?: (_rm_v1_AgentInfo | null);
  'masterAddress'?: (string);
  'registered'?: (boolean);
  'isolation'?: (string);
  'tasks'?: (_rm_v1_AgentTask)[];
}

export interface GetAgentStateResponse__Output {
  'info': (_rm_v1_AgentInfo__Output | null);
  'masterAddress': (string);
  'registered': (boolean);
  'isolation': (string);
  'tasks': (_rm_v1_AgentTask__Output)[];
}
