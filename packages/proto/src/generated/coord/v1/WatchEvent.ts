// Original file: proto/coord/v1/coord.proto

import type { EventType as _coord_v1_EventType, EventType__Output as _coord_v1_EventType__Output } from '../../coord/v1/EventType';
import type { Long } from '@grpc/proto-loader';

export interface WatchEvent {
  'type'?: (_coord_v1_EventType);
  'path'?: (string);
  'zxid'?: (number | string | Long);
}

export interface WatchEvent__Output {
  'type': (_coord_v1_EventType__Output);
  'path': (string);
  'zxid': (number);
}
