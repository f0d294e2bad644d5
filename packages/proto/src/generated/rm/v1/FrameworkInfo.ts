// Original file: proto/rm/v1/rm.proto

import type { Long } from '@grpc/proto-loader';

export interface FrameworkInfo {
  'frameworkId'?: (string);
  'name'?: (string);
  'user'?: (string);
  'role'?: (string);
  'weight'?: (number | string);
  'failoverTimeoutMs'?: (number | string | Long);
  'hostname'?: (string);
  'labels'?: ({[key: string]: string});
}

export interface FrameworkInfo__Output {
  'frameworkId': (string);
  'name': (string);
  'user': (string);
  'role': (string);
  'weight': (number);
  'failoverTimeoutMs': (number);
  'hostname': (string);
  'labels': ({[key: string]: string});
}
