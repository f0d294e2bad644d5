// Original file: proto/coord/v1/coord.proto

import type { OpResult as _coord_v1_OpResult, OpResult__Output as _coord_v1_OpResult__Output } from '../../coord/v1/OpResult';

export interface MultiResponse {
  'results'?: (_coord_v1_OpResult)[];
}

export interface MultiResponse__Output {
  'results': (_coord_v1_OpResult__Output)[];
}
