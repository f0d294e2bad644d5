// Original file: proto/rm/v1/rm.proto

export const StatusSource = {
  SOURCE_UNSPECIFIED: 'SOURCE_UNSPECIFIED',
  SOURCE_MASTER: 'SOURCE_MASTER',
  SOURCE_AGENT: 'SOURCE_AGENT',
  SOURCE_EXECUTOR: 'SOURCE_EXECUTOR',
} as const;

export type StatusSource =
  | 'SOURCE_UNSPECIFIED'
  | 0
  | 'SOURCE_MASTER'
  | 1
  | 'SOURCE_AGENT'
  | 2
  | 'SOURCE_EXECUTOR'
  | 3

export type StatusSource__Output = typeof StatusSource[keyof typeof StatusSource]
