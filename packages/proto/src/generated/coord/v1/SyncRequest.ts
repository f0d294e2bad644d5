// Original file: proto/coord/v1/coord.proto


export interface SyncRequest {
  'path'?: (string);
}

export interface SyncRequest__Output {
  'path': (string);
}
