// The resource manager's public API for other packages and tools: the framework driver, the
// operator client, the leader detector, the task store, the pure task state machine and
// health-check validation.
export { SchedulerDriver, type SchedulerDriverOptions } from './scheduler/scheduler-driver';
export { OperatorClient, findLeader, type LeaderSource } from './client/operator-client';
export { LeaderDetector, readMasters, mastersDir, type MasterNode, type MasterNodeData } from './leader-detector';
export { MemoryTaskStore, RedisTaskStore, type TaskRecord, type TaskStore, type ListTasksOptions } from './master/task-store';
export { startMasterServer, type MasterServer, type MasterServerOptions } from './master/master-server';
export { TASK_STATES, checkTransition, decideUpdate, isTerminalState, type TaskStateName } from './task-state';
export { parseHealthCheck, HEALTH_CHECK_DEFAULTS, type HealthCheckSpec } from './health-check';
export { loadRmV1, RM_PROTO_FILES } from './proto';
export { rmError, rmErrorCode, leaderHint, ERROR_KEY, LEADER_KEY } from './rm-errors';
