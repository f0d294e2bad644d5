// Original file: proto/rm/v1/agent.proto

import type { Registered as _rm_v1_Registered, Registered__Output as _rm_v1_Registered__Output } from '../../rm/v1/Registered';
import type { LaunchTasks as _rm_v1_LaunchTasks, LaunchTasks__Output as _rm_v1_LaunchTasks__Output } from '../../rm/v1/LaunchTasks';
import type { KillTask as _rm_v1_KillTask, KillTask__Output as _rm_v1_KillTask__Output } from '../../rm/v1/KillTask';
import type { StatusAck as _rm_v1_StatusAck, StatusAck__Output as _rm_v1_StatusAck__Output } from '../../rm/v1/StatusAck';
import type { Shutdown as _rm_v1_Shutdown, Shutdown__Output as _rm_v1_Shutdown__Output } from '../../rm/v1/Shutdown';
import type { HeartbeatAck as _rm_v1_HeartbeatAck, HeartbeatAck__Output as _rm_v1_HeartbeatAck__Output } from '../../rm/v1/HeartbeatAck';

export interface MasterMessage {
  'registered'?: (_rm_v1_Registered | null);
  'launch'?: (_rm_v1_LaunchTasks | null);
  'kill'?: (_rm_v1_KillTask | null);
  'statusAck'?: (_rm_v1_StatusAck | null);
  'shutdown'?: (_rm_v1_Shutdown | null);
  'heartbeatAck'?: (_rm_v1_HeartbeatAck | null);
  'message'?: "registered"|"launch"|"kill"|"statusAck"|"shutdown"|"heartbeatAck";
}

export interface MasterMessage__Output {
  'registered'?: (_rm_v1_Registered__Output | null);
  'launch'?: (_rm_v1_LaunchTasks__Output | null);
  'kill'?: (_rm_v1_KillTask__Output | null);
  'statusAck'?: (_rm_v1_StatusAck__Output | null);
  'shutdown'?: (_rm_v1_Shutdown__Output | null);
  'heartbeatAck'?: (_rm_v1_HeartbeatAck__Output | null);
  'message'?: "registered"|"launch"|"kill"|"statusAck"|"shutdown"|"heartbeatAck";
}
