// Original file: proto/coord/v1/coord.proto


export interface GetAllChildrenNumberRequest {
  'path'?: (string);
}

export interface GetAllChildrenNumberRequest__Output {
  'path': (string);
}
