// Original file: proto/rm/v1/rm.proto


export interface MasterSummary {
  'address'?: (string);
  'node'?: (string);
  'leading'?: (boolean);
}

export interface MasterSummary__Output {
  'address': (string);
  'node': (string);
  'leading': (boolean);
}
