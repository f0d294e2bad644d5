// Original file: proto/rm/v1/rm.proto

import type { FrameworkInfo as _rm_v1_FrameworkInfo, FrameworkInfo__Output as _rm_v1_FrameworkInfo__Output } from '../../rm/v1/FrameworkInfo';
import type { Resources as _rm_v1_Resources, Resources__Output as _rm_v1_Resources__Output } from '../../rm/v1/Resources';
import type { Long } from '@grpc/proto-loader';

export interface FrameworkSummary {
  'info'?: (_rm_v1_FrameworkInfo | null);
  'connected'?: (boolean);
  'suppressed'?: (boolean);
  'used'?: (_rm_v1_Resources | null);
  'activeTasks'?: (number);
  'offersOutstanding'?: (number);
  'dominantShare'?: (number | string);
  'registeredAtMs'?: (number | string | Long);
}

export interface FrameworkSummary__Output {
  'info': (_rm_v1_FrameworkInfo__Output | null);
  'connected': (boolean);
  'suppressed': (boolean);
  'used': (_rm_v1_Resources__Output | null);
  'activeTasks': (number);
  'offersOutstanding': (number);
  'dominantShare': (number);
  'registeredAtMs': (number);
}
