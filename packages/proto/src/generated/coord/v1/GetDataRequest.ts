// Original file: proto/coord/v1/coord.proto


export interface GetDataRequest {
  'path'?: (string);
  'watch'?: (boolean);
  'linearizable'?: (boolean);
}

export interface GetDataRequest__Output {
  'path': (string);
  'watch': (boolean);
  'linearizable': (boolean);
}
