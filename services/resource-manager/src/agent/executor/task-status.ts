// Task states and how a task's end becomes one. Pure: the runner gathers the facts (exit code,
// the wrapper's recorded status, the cgroup's OOM counter, whether a kill was asked for), these
// functions decide. State and reason names follow Mesos (TaskState, TaskStatus.Reason).

export type TaskState = 'STARTING' | 'RUNNING' | 'FINISHED' | 'FAILED' | 'KILLED' | 'LOST';

export type TaskReason =
  | 'REASON_COMMAND_EXECUTOR_FAILED'
  | 'REASON_CONTAINER_LIMITATION_MEMORY'
  | 'REASON_CONTAINER_LAUNCH_FAILED'
  | 'REASON_EXECUTOR_TERMINATED'
  | 'REASON_TASK_KILLED_DURING_LAUNCH'
  | 'REASON_TASK_HEALTH_CHECK_FAILED';

/** A kill that is the task's failure, not a request (e.g. failing health checks): it ends FAILED. */
export interface KillFailure {
  readonly reason: TaskReason;
  readonly message: string;
}

export interface TaskStatus {
  readonly taskId: string;
  readonly frameworkId: string;
  readonly state: TaskState;
  readonly reason?: TaskReason;
  readonly message?: string;
  /** The command's exit status when known (a shell reports death by signal N as 128 + N). */
  readonly exitCode?: number;
  /** Set when the launch wrapper itself died of a signal (e.g. SIGKILL after the grace period). */
  readonly signal?: string;
  readonly timestampMs: number;
}

const TERMINAL: ReadonlySet<TaskState> = new Set(['FINISHED', 'FAILED', 'KILLED', 'LOST']);

export function isTerminal(state: TaskState): boolean {
  return TERMINAL.has(state);
}

/** The launch wrapper exits with this when it could not join the task's cgroup (user code never ran). */
export const WRAPPER_JOIN_FAILED_EXIT = 125;

export interface ExitFacts {
  /** From `<sandbox>/.exit_status`, written by the wrapper after the command ended. */
  readonly recordedExitCode?: number;
  /** The wrapper's own exit as its parent saw it (absent after recovery: we are not its parent). */
  readonly wrapperExitCode?: number | null;
  readonly wrapperSignal?: string | null;
  readonly killRequested: boolean;
  /** The kill was the task's failure: it ends FAILED with this reason. */
  readonly killFailure?: KillFailure;
  readonly oomKilled: boolean;
  readonly memBytes: number;
}

export type Outcome = Pick<TaskStatus, 'state' | 'reason' | 'message' | 'exitCode' | 'signal'>;

/**
 * Mesos command executor: a kill that was asked for ends as KILLED whatever the exit code (FAILED
 * when the kill was the task's failure, as after failing health checks); an OOM kill by the
 * memory cgroup is FAILED with REASON_CONTAINER_LIMITATION_MEMORY; otherwise exit 0 is FINISHED
 * and anything else FAILED.
 */
export function decideOutcome(facts: ExitFacts): Outcome {
  const exitCode = facts.recordedExitCode ?? nonNull(facts.wrapperExitCode);
  const signal = nonNull(facts.wrapperSignal);
  const detail = { ...(exitCode !== undefined ? { exitCode } : {}), ...(signal !== undefined ? { signal } : {}) };
  if (facts.killRequested && facts.killFailure) return { state: 'FAILED', reason: facts.killFailure.reason, message: facts.killFailure.message, ...detail };
  if (facts.killRequested) return { state: 'KILLED', message: `killed on request (${describeExit(exitCode, signal)})`, ...detail };
  if (facts.oomKilled) {
    return {
      state: 'FAILED',
      reason: 'REASON_CONTAINER_LIMITATION_MEMORY',
      message: `memory limit of ${facts.memBytes} bytes exceeded: killed by the OOM killer`,
      ...detail,
    };
  }
  if (facts.recordedExitCode === undefined && exitCode === WRAPPER_JOIN_FAILED_EXIT && signal === undefined) {
    return { state: 'FAILED', reason: 'REASON_CONTAINER_LAUNCH_FAILED', message: 'could not place the task in its cgroup', ...detail };
  }
  if (exitCode === 0) return { state: 'FINISHED', message: 'command exited with status 0', ...detail };
  if (exitCode === undefined && signal === undefined) {
    return { state: 'LOST', reason: 'REASON_EXECUTOR_TERMINATED', message: 'the task ended and its exit status is unknown' };
  }
  const reason = exitCode === undefined ? 'REASON_EXECUTOR_TERMINATED' : 'REASON_COMMAND_EXECUTOR_FAILED';
  return { state: 'FAILED', reason, message: describeExit(exitCode, signal), ...detail };
}

function nonNull<T>(value: T | null | undefined): T | undefined {
  return value === null ? undefined : value;
}

/** Human text for an exit: a shell's 128 + N means "terminated by signal N". */
export function describeExit(exitCode: number | undefined, signal: string | undefined): string {
  if (signal !== undefined) return `terminated by ${signal}`;
  if (exitCode === undefined) return 'exit status unknown';
  if (exitCode > 128 && exitCode < 128 + 65) return `command terminated by signal ${exitCode - 128} (status ${exitCode})`;
  return `command exited with status ${exitCode}`;
}

/** Why a checkpointed task is not the process now at its pid (or why there is none). */
export type GoneWhy = 'NO_PROCESS' | 'ZOMBIE' | 'PID_REUSED' | 'REBOOTED';

/**
 * A checkpointed task whose process is gone. With the wrapper's recorded status its real outcome
 * is known; without it, an OOM or a kill we asked for still explains the end; otherwise it is LOST.
 */
export function decideRecoveredOutcome(facts: ExitFacts, why: GoneWhy): Outcome {
  if (facts.recordedExitCode !== undefined || facts.killRequested || facts.oomKilled) return decideOutcome(facts);
  return { state: 'LOST', reason: 'REASON_EXECUTOR_TERMINATED', message: lostMessage(why) };
}

function lostMessage(why: GoneWhy): string {
  switch (why) {
    case 'NO_PROCESS':
    case 'ZOMBIE':
      return 'the task ended while the agent was down and left no exit status';
    case 'PID_REUSED':
      return 'the task ended while the agent was down; its pid now belongs to another process';
    case 'REBOOTED':
      return 'the host rebooted since the task was launched';
  }
}
