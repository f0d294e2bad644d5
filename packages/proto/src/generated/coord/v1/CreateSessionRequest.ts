// Original file: proto/coord/v1/coord.proto


export interface CreateSessionRequest {
  'timeoutMs'?: (number);
}

export interface CreateSessionRequest__Output {
  'timeoutMs': (number);
}
