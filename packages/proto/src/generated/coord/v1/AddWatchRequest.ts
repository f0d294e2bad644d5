// Original file: proto/coord/v1/coord.proto

import type { AddWatchMode as _coord_v1_AddWatchMode, AddWatchMode__Output as _coord_v1_AddWatchMode__Output } from '../../coord/v1/AddWatchMode';

export interface AddWatchRequest {
  'path'?: (string);
  'mode'?: (_coord_v1_AddWatchMode);
}

export interface AddWatchRequest__Output {
  'path': (string);
  'mode': (_coord_v1_AddWatchMode__Output);
}
