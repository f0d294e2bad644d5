// Original file: proto/rm/v1/rm.proto

import type { Resources as _rm_v1_Resources, Resources__Output as _rm_v1_Resources__Output } from '../../rm/v1/Resources';
import type { CommandInfo as _rm_v1_CommandInfo, CommandInfo__Output as _rm_v1_CommandInfo__Output } from '../../rm/v1/CommandInfo';
import type { HealthCheck as _rm_v1_HealthCheck, HealthCheck__Output as _rm_v1_HealthCheck__Output } from '../../rm/v1/HealthCheck';
import type { Long } from '@grpc/proto-loader';

export interface TaskInfo {
  'taskId'?: (string);
  'name'?: (string);
  'agentId'?: (string);
  'resources'?: (_rm_v1_Resources | null);
  'command'?: (_rm_v1_CommandInfo | null);
  'killGracePeriodMs'?: (number | string | Long);
  'labels'?: ({[key: string]: string});
  'healthCheck'?: (_rm_v1_HealthCheck | null);
}

export interface TaskInfo__Output {
  'taskId': (string);
  'name': (string);
  'agentId': (string);
  'resources': (_rm_v1_Resources__Output | null);
  'command': (_rm_v1_CommandInfo__Output | null);
  'killGracePeriodMs': (number);
  'labels': ({[key: string]: string});
  'healthCheck': (_rm_v1_HealthCheck__Output | null);
}
