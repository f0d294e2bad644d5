// Original file: proto/rm/v1/rm.proto

import type { HealthCheckType as _rm_v1_HealthCheckType, HealthCheckType__Output as _rm_v1_HealthCheckType__Output } from '../../rm/v1/HealthCheckType';
import type { CommandInfo as _rm_v1_CommandInfo, CommandInfo__Output as _rm_v1_CommandInfo__Output } from '../../rm/v1/CommandInfo';
import type { Long } from '@grpc/proto-loader';

export interface HealthCheck {
  'type'?: (_rm_v1_HealthCheckType);
  'command'?: (_rm_v1_CommandInfo | null);
  'port'?: (number);
  'path'?: (string);
  'delayMs'?: (number | string | Long);
  'intervalMs'?: (number | string | Long);
  'timeoutMs'?: (number | string | Long);
  'consecutiveFailures'?: (number);
  'gracePeriodMs'?: (number | string | Long);
  '_delayMs'?: "delayMs";
  '_intervalMs'?: "intervalMs";
  '_timeoutMs'?: "timeoutMs";
  '_consecutiveFailures'?: "consecutiveFailures";
  '_gracePeriodMs'?: "gracePeriodMs";
}

export interface HealthCheck__Output {
  'type': (_rm_v1_HealthCheckType__Output);
  'command': (_rm_v1_CommandInfo__Output | null);
  'port': (number);
  'path': (string);
  'delayMs'?: (number);
  'intervalMs'?: (number);
  'timeoutMs'?: (number);
  'consecutiveFailures'?: (number);
  'gracePeriodMs'?: (number);
  '_delayMs'?: "delayMs";
  '_intervalMs'?: "intervalMs";
  '_timeoutMs'?: "timeoutMs";
  '_consecutiveFailures'?: "consecutiveFailures";
  '_gracePeriodMs'?: "gracePeriodMs";
}
