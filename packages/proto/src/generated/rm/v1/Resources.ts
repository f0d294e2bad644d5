// Original file: proto/rm/v1/rm.proto

import type { PortRange as _rm_v1_PortRange, PortRange__Output as _rm_v1_PortRange__Output } from '../../rm/v1/PortRange';
import type { Long } from '@grpc/proto-loader';

export interface Resources {
  'cpusMilli'?: (number | string | Long);
  'memBytes'?: (number | string | Long);
  'diskBytes'?: (number | string | Long);
  'gpus'?: (number | string | Long);
  'ports'?: (_rm_v1_PortRange)[];
}

export interface Resources__Output {
  'cpusMilli': (number);
  'memBytes': (number);
  'diskBytes': (number);
  'gpus': (number);
  'ports': (_rm_v1_PortRange__Output)[];
}
