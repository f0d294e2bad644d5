// Original file: proto/coord/v1/coord.proto

export const EventType = {
  NONE: 'NONE',
  NODE_CREATED: 'NODE_CREATED',
  NODE_DELETED: 'NODE_DELETED',
  NODE_DATA_CHANGED: 'NODE_DATA_CHANGED',
  NODE_CHILDREN_CHANGED: 'NODE_CHILDREN_CHANGED',
  DATA_WATCH_REMOVED: 'DATA_WATCH_REMOVED',
  CHILD_WATCH_REMOVED: 'CHILD_WATCH_REMOVED',
  PERSISTENT_WATCH_REMOVED: 'PERSISTENT_WATCH_REMOVED',
} as const;

export type EventType =
  | 'NONE'
  | 0
  | 'NODE_CREATED'
  | 1
  | 'NODE_DELETED'
  | 2
  | 'NODE_DATA_CHANGED'
  | 3
  | 'NODE_CHILDREN_CHANGED'
  | 4
  | 'DATA_WATCH_REMOVED'
  | 5
  | 'CHILD_WATCH_REMOVED'
  | 6
  | 'PERSISTENT_WATCH_REMOVED'
  | 7

export type EventType__Output = typeof EventType[keyof typeof EventType]
