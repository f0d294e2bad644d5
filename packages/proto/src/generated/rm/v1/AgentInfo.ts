// Original file: proto/rm/v1/rm.proto

import type { Resources as _rm_v1_Resources, Resources__Output as _rm_v1_Resources__Output } from '../../rm/v1/Resources';

export interface AgentInfo {
  'agentId'?: (string);
  'hostname'?: (string);
  'address'?: (string);
  'resources'?: (_rm_v1_Resources | null);
  'attributes'?: ({[key: string]: string});
  'isolation'?: (string);
}

export interface AgentInfo__Output {
  'agentId': (string);
  'hostname': (string);
  'address': (string);
  'resources': (_rm_v1_Resources__Output | null);
  'attributes': ({[key: string]: string});
  'isolation': (string);
}
