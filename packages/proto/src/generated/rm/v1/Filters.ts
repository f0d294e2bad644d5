// Original file: proto/rm/v1/scheduler.proto


export interface Filters {
  'refuseSeconds'?: (number | string);
}

export interface Filters__Output {
  'refuseSeconds': (number);
}
