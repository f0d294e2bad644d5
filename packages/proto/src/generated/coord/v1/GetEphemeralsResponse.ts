// Original file: proto/coord/v1/coord.proto


export interface GetEphemeralsResponse {
  'paths'?: (string)[];
}

export interface GetEphemeralsResponse__Output {
  'paths': (string)[];
}
