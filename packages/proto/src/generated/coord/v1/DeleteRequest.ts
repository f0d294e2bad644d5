// Original file: proto/coord/v1/coord.proto


export interface DeleteRequest {
  'path'?: (string);
  'version'?: (number);
  '_version'?: "version";
}

export interface DeleteRequest__Output {
  'path': (string);
  'version'?: (number);
  '_version'?: "version";
}
