// Original file: proto/rm/v1/rm.proto

export const HealthCheckType = {
  HEALTH_CHECK_TYPE_UNSPECIFIED: 'HEALTH_CHECK_TYPE_UNSPECIFIED',
  HEALTH_CHECK_COMMAND: 'HEALTH_CHECK_COMMAND',
  HEALTH_CHECK_TCP: 'HEALTH_CHECK_TCP',
  HEALTH_CHECK_HTTP: 'HEALTH_CHECK_HTTP',
} as const;

export type HealthCheckType =
  | 'HEALTH_CHECK_TYPE_UNSPECIFIED'
  | 0
  | 'HEALTH_CHECK_COMMAND'
  | 1
  | 'HEALTH_CHECK_TCP'
  | 2
  | 'HEALTH_CHECK_HTTP'
  | 3

export type HealthCheckType__Output = typeof HealthCheckType[keyof typeof HealthCheckType]
