// Original file: proto/coord/v1/coord.proto

export const AddWatchMode = {
  PERSISTENT_WATCH: 'PERSISTENT_WATCH',
  PERSISTENT_RECURSIVE_WATCH: 'PERSISTENT_RECURSIVE_WATCH',
} as const;

export type AddWatchMode =
  | 'PERSISTENT_WATCH'
  | 0
  | 'PERSISTENT_RECURSIVE_WATCH'
  | 1

export type AddWatchMode__Output = typeof AddWatchMode[keyof typeof AddWatchMode]
