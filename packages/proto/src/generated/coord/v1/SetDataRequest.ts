// Original file: proto/coord/v1/coord.proto


export interface SetDataRequest {
  'path'?: (string);
  'data'?: (Buffer | Uint8Array | string);
  'version'?: (number);
  '_version'?: "version";
}

export interface SetDataRequest__Output {
  'path': (string);
  'data': (Buffer);
  'version'?: (number);
  '_version'?: "version";
}
