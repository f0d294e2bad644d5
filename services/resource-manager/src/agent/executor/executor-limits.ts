// Every limit and default of the task executor in one place (STYLE.md: a limit on everything,
// each with a clear error). Defaults follow Mesos where it has one.

export const KIB = 1024;
export const MIB = 1024 * KIB;
export const GIB = 1024 * MIB;

export interface ExecutorLimits {
  /** Live (non-terminal) tasks one runner supervises; over it launch answers LIMIT_EXCEEDED. */
  tasksMax: number;
  /** Longest task or framework id, in UTF-8 bytes (it names a directory and a file). */
  idBytesMax: number;
  /** Longest `{ shell }` command. */
  shellCommandBytesMax: number;
  /** Most `{ argv }` entries, and the longest one. */
  argvEntriesMax: number;
  argBytesMax: number;
  /** Most task environment variables, and their total size (names plus values). */
  envEntriesMax: number;
  envBytesMax: number;
  /** Most ports one task may be given (PORT0..PORTn). */
  portsMax: number;
  /** Smallest limits a task may ask for: the CFS quota floor is 1 ms per 100 ms period. */
  cpusMilliMin: number;
  /** Mesos: MIN_MEMORY is 32 MiB; a shell alone needs a few. */
  memBytesMin: number;
  /** Longest grace period between SIGTERM and SIGKILL. */
  gracePeriodMsMax: number;
  /** Largest single readOutput answer. */
  readBytesMax: number;
  /** Default bound of followOutput when the caller gives none. */
  followBytesDefault: number;
  /** How often followOutput looks for new bytes. */
  followPollMsDefault: number;
  /** How often re-attached tasks (not our children) are checked for liveness. */
  reattachPollMs: number;
  /** Attempts to remove a task cgroup while its last processes die, and the pause between. */
  cgroupRemoveAttemptsMax: number;
  cgroupRemoveRetryMs: number;
  /** Largest checkpoint file recover() accepts. */
  checkpointBytesMax: number;
}

export const DEFAULT_EXECUTOR_LIMITS: ExecutorLimits = {
  tasksMax: 1000,
  idBytesMax: 200,
  shellCommandBytesMax: 64 * KIB,
  argvEntriesMax: 1024,
  argBytesMax: 64 * KIB,
  envEntriesMax: 1024,
  envBytesMax: 256 * KIB,
  portsMax: 64,
  cpusMilliMin: 10,
  memBytesMin: 4 * MIB,
  gracePeriodMsMax: 10 * 60 * 1000,
  readBytesMax: 1 * MIB,
  followBytesDefault: 16 * MIB,
  followPollMsDefault: 100,
  reattachPollMs: 200,
  cgroupRemoveAttemptsMax: 50,
  cgroupRemoveRetryMs: 20,
  checkpointBytesMax: 256 * KIB,
};

/** Default SIGTERM→SIGKILL grace (Mesos: --executor_shutdown_grace_period is 5 s). */
export const DEFAULT_KILL_GRACE_PERIOD_MS = 5000;

/** CFS period used for every task; quota = cpus × period. */
export const CFS_PERIOD_US = 100_000;
