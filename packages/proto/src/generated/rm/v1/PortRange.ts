// Original file: proto/rm/v1/rm.proto


export interface PortRange {
  'begin'?: (number);
  'end'?: (number);
}

export interface PortRange__Output {
  'begin': (number);
  'end': (number);
}
