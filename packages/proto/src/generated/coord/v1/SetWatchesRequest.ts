// Original file: proto/coord/v1/coord.proto

import type { Long } from '@grpc/proto-loader';

export interface SetWatchesRequest {
  'relativeZxid'?: (number | string | Long);
  'dataWatches'?: (string)[];
  'existWatches'?: (string)[];
  'childWatches'?: (string)[];
  'persistentWatches'?: (string)[];
  'persistentRecursiveWatches'?: (string)[];
}

export interface SetWatchesRequest__Output {
  'relativeZxid': (number);
  'dataWatches': (string)[];
  'existWatches': (string)[];
  'childWatches': (string)[];
  'persistentWatches': (string)[];
  'persistentRecursiveWatches': (string)[];
}
