// Original file: proto/rm/v1/rm.proto


export interface MarkAgentGoneRequest {
  'agentId'?: (string);
}

export interface MarkAgentGoneRequest__Output {
  'agentId': (string);
}
