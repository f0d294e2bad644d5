// Original file: proto/coord/v1/coord.proto

import type { ErrorCode as _coord_v1_ErrorCode, ErrorCode__Output as _coord_v1_ErrorCode__Output } from '../../coord/v1/ErrorCode';

export interface SessionEnded {
  'reason'?: (_coord_v1_ErrorCode);
}

export interface SessionEnded__Output {
  'reason': (_coord_v1_ErrorCode__Output);
}
