// Original file: proto/rm/v1/agent.proto


export interface StatusAck {
  'taskId'?: (string);
  'uuid'?: (string);
}

export interface StatusAck__Output {
  'taskId': (string);
  'uuid': (string);
}
