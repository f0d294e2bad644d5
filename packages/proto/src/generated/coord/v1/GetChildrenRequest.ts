// Original file: proto/coord/v1/coord.proto


export interface GetChildrenRequest {
  'path'?: (string);
  'watch'?: (boolean);
  'startAfter'?: (string);
  'limit'?: (number);
  'linearizable'?: (boolean);
}

export interface GetChildrenRequest__Output {
  'path': (string);
  'watch': (boolean);
  'startAfter': (string);
  'limit': (number);
  'linearizable': (boolean);
}
