// Original file: proto/rm/v1/agent.proto

import type { Register as _rm_v1_Register, Register__Output as _rm_v1_Register__Output } from '../../rm/v1/Register';
import type { Heartbeat as _rm_v1_Heartbeat, Heartbeat__Output as _rm_v1_Heartbeat__Output } from '../../rm/v1/Heartbeat';
import type { StatusUpdate as _rm_v1_StatusUpdate, StatusUpdate__Output as _rm_v1_StatusUpdate__Output } from '../../rm/v1/StatusUpdate';

export interface AgentMessage {
  'register'?: (_rm_v1_Register | null);
  'heartbeat'?: (_rm_v1_Heartbeat | null);
  'statusUpdate'?: (_rm_v1_StatusUpdate | null);
  'message'?: "register"|"heartbeat"|"statusUpdate";
}

export interface AgentMessage__Output {
  'register'?: (_rm_v1_Register__Output | null);
  'heartbeat'?: (_rm_v1_Heartbeat__Output | null);
  'statusUpdate'?: (_rm_v1_StatusUpdate__Output | null);
  'message'?: "register"|"heartbeat"|"statusUpdate";
}
