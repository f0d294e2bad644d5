// Original file: proto/rm/v1/rm.proto


export interface Argv {
  'args'?: (string)[];
}

export interface Argv__Output {
  'args': (string)[];
}
