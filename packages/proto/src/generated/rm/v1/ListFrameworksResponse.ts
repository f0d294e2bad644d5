// Original file: proto/rm/v1/rm.proto

import type { FrameworkSummary as _rm_v1_FrameworkSummary, FrameworkSummary__Output as _rm_v1_FrameworkSummary__Output } from '../../rm/v1/FrameworkSummary';

export interface ListFrameworksResponse {
  'frameworks'?: (_rm_v1_FrameworkSummary)[];
}

export interface ListFrameworksResponse__Output {
  'frameworks': (_rm_v1_FrameworkSummary__Output)[];
}
