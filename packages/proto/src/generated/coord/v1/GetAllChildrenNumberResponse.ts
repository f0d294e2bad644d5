// Original file: proto/coord/v1/coord.proto


export interface GetAllChildrenNumberResponse {
  'totalNumber'?: (number);
}

export interface GetAllChildrenNumberResponse__Output {
  'totalNumber': (number);
}
