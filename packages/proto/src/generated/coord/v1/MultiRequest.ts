// Original file: proto/coord/v1/coord.proto

import type { Op as _coord_v1_Op, Op__Output as _coord_v1_Op__Output } from '../../coord/v1/Op';

export interface MultiRequest {
  'ops'?: (_coord_v1_Op)[];
}

export interface MultiRequest__Output {
  'ops': (_coord_v1_Op__Output)[];
}
