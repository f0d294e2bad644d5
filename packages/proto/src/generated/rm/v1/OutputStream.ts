// Original file: proto/rm/v1/rm.proto

export const OutputStream = {
  STDOUT: 'STDOUT',
  STDERR: 'STDERR',
} as const;

export type OutputStream =
  | 'STDOUT'
  | 0
  | 'STDERR'
  | 1

export type OutputStream__Output = typeof OutputStream[keyof typeof OutputStream]
