// Original file: proto/coord/v1/coord.proto

import type { Stat as _coord_v1_Stat, Stat__Output as _coord_v1_Stat__Output } from '../../coord/v1/Stat';

export interface GetDataResponse {
  'data'?: (Buffer | Uint8Array | string);
  'stat'?: (_coord_v1_Stat | null);
}

export interface GetDataResponse__Output {
  'data': (Buffer);
  'stat': (_coord_v1_Stat__Output | null);
}
