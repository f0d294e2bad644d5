// Original file: proto/coord/v1/coord.proto


export interface ExistsRequest {
  'path'?: (string);
  'watch'?: (boolean);
  'linearizable'?: (boolean);
}

export interface ExistsRequest__Output {
  'path': (string);
  'watch': (boolean);
  'linearizable': (boolean);
}
