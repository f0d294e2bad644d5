// Original file: proto/coord/v1/coord.proto


export interface KeepAliveResponse {
  'timeoutMs'?: (number);
}

export interface KeepAliveResponse__Output {
  'timeoutMs': (number);
}
