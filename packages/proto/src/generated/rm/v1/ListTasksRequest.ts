// Original file: proto/rm/v1/rm.proto


export interface ListTasksRequest {
  'includeCompleted'?: (boolean);
  'frameworkId'?: (string);
  'limit'?: (number);
}

export interface ListTasksRequest__Output {
  'includeCompleted': (boolean);
  'frameworkId': (string);
  'limit': (number);
}
