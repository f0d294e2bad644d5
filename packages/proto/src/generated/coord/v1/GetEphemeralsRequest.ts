// Original file: proto/coord/v1/coord.proto


export interface GetEphemeralsRequest {
  'prefix'?: (string);
}

export interface GetEphemeralsRequest__Output {
  'prefix': (string);
}
