// Original file: proto/coord/v1/coord.proto


export interface SyncResponse {
  'path'?: (string);
}

export interface SyncResponse__Output {
  'path': (string);
}
