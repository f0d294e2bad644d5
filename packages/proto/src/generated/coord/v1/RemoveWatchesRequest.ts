// Original file: proto/coord/v1/coord.proto

import type { WatcherType as _coord_v1_WatcherType, WatcherType__Output as _coord_v1_WatcherType__Output } from '../../coord/v1/WatcherType';

export interface RemoveWatchesRequest {
  'path'?: (string);
  'type'?: (_coord_v1_WatcherType);
}

export interface RemoveWatchesRequest__Output {
  'path': (string);
  'type': (_coord_v1_WatcherType__Output);
}
