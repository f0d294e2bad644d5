// Original file: proto/coord/v1/coord.proto


export interface Acl {
  'perms'?: (number);
  'scheme'?: (string);
  'id'?: (string);
}

export interface Acl__Output {
  'perms': (number);
  'scheme': (string);
  'id': (string);
}
