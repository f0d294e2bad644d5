// The agent's task executor: real processes in sandboxes, cgroup isolation (v2 or v1),
// kill with grace, checkpointing and recovery.

export * from './executor-limits';
export * from './task-spec';
export * from './task-status';
export * from './proc-stat';
export * from './cgroup-files';
export * from './cgroups';
export * from './launch-wrapper';
export * from './checkpoint';
export * from './task-output';
export * from './task-process';
export * from './task-runner';
export * from './resource-detector';
