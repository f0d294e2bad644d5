// Original file: proto/coord/v1/coord.proto


export interface CheckRequest {
  'path'?: (string);
  'version'?: (number);
  '_version'?: "version";
}

export interface CheckRequest__Output {
  'path': (string);
  'version'?: (number);
  '_version'?: "version";
}
