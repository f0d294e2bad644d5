// Original file: proto/coord/v1/coord.proto

import type { Stat as _coord_v1_Stat, Stat__Output as _coord_v1_Stat__Output } from '../../coord/v1/Stat';

export interface ExistsResponse {
  'stat'?: (_coord_v1_Stat | null);
}

export interface ExistsResponse__Output {
  'stat': (_coord_v1_Stat__Output | null);
}
