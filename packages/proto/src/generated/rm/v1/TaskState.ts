// Original file: proto/rm/v1/rm.proto

export const TaskState = {
  TASK_STATE_UNSPECIFIED: 'TASK_STATE_UNSPECIFIED',
  TASK_STAGING: 'TASK_STAGING',
  TASK_STARTING: 'TASK_STARTING',
  TASK_RUNNING: 'TASK_RUNNING',
  TASK_FINISHED: 'TASK_FINISHED',
  TASK_FAILED: 'TASK_FAILED',
  TASK_KILLED: 'TASK_KILLED',
  TASK_LOST: 'TASK_LOST',
  TASK_ERROR: 'TASK_ERROR',
  TASK_DROPPED: 'TASK_DROPPED',
  TASK_UNREACHABLE: 'TASK_UNREACHABLE',
  TASK_GONE: 'TASK_GONE',
} as const;

export type TaskState =
  | 'TASK_STATE_UNSPECIFIED'
  | 0
  | 'TASK_STAGING'
  | 1
  | 'TASK_STARTING'
  | 2
  | 'TASK_RUNNING'
  | 3
  | 'TASK_FINISHED'
  | 4
  | 'TASK_FAILED'
  | 5
  | 'TASK_KILLED'
  | 6
  | 'TASK_LOST'
  | 7
  | 'TASK_ERROR'
  | 8
  | 'TASK_DROPPED'
  | 9
  | 'TASK_UNREACHABLE'
  | 10
  | 'TASK_GONE'
  | 11

export type TaskState__Output = typeof TaskState[keyof typeof TaskState]
