// Original file: proto/rm/v1/rm.proto

export const AgentState = {
  AGENT_STATE_UNSPECIFIED: 'AGENT_STATE_UNSPECIFIED',
  AGENT_ADMITTED: 'AGENT_ADMITTED',
  AGENT_UNREACHABLE: 'AGENT_UNREACHABLE',
  AGENT_DRAINING: 'AGENT_DRAINING',
  AGENT_GONE: 'AGENT_GONE',
} as const;

export type AgentState =
  | 'AGENT_STATE_UNSPECIFIED'
  | 0
  | 'AGENT_ADMITTED'
  | 1
  | 'AGENT_UNREACHABLE'
  | 2
  | 'AGENT_DRAINING'
  | 3
  | 'AGENT_GONE'
  | 4

export type AgentState__Output = typeof AgentState[keyof typeof AgentState]
