// Original file: proto/coord/v1/coord.proto

export const WatcherType = {
  ANY: 'ANY',
  CHILDREN: 'CHILDREN',
  DATA: 'DATA',
  PERSISTENT: 'PERSISTENT',
  PERSISTENT_RECURSIVE: 'PERSISTENT_RECURSIVE',
} as const;

export type WatcherType =
  | 'ANY'
  | 0
  | 'CHILDREN'
  | 1
  | 'DATA'
  | 2
  | 'PERSISTENT'
  | 4
  | 'PERSISTENT_RECURSIVE'
  | 5

export type WatcherType__Output = typeof WatcherType[keyof typeof WatcherType]
