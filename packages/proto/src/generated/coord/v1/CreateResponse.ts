// Original file: proto/coord/v1/coord.proto

import type { Stat as _coord_v1_Stat, Stat__Output as _coord_v1_Stat__Output } from '../../coord/v1/Stat';

export interface CreateResponse {
  'path'?: (string);
  'stat'?: (_coord_v1_Stat | null);
}

export interface CreateResponse__Output {
  'path': (string);
  'stat': (_coord_v1_Stat__Output | null);
}
