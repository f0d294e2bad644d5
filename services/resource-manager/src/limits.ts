// Every limit and default of the master, agent and CLI in one place (STYLE.md: a limit on
// everything, each with a clear error). Defaults follow Mesos where it has one.

export interface MasterLimits {
  /** Offers one ACCEPT or DECLINE may name. */
  offersPerCallMax: number;
  /** Tasks one ACCEPT may launch. */
  tasksPerAcceptMax: number;
  /** Live (non-terminal) tasks in the cluster. */
  activeTasksMax: number;
  /** Subscribed (or failing-over) frameworks. */
  frameworksMax: number;
  /** Messages queued on one stream before the master gives up on a reader that does not read. */
  streamQueueMessagesMax: number;
  /** Tasks ListTasks answers at most. */
  listTasksMax: number;
  /** Task ids, names, labels: longest string accepted. */
  stringBytesMax: number;
  /** Labels per task and per framework. */
  labelsMax: number;
  /** Status updates held per framework until acknowledged or delivered (oldest dropped first; agents resend). */
  outboxUpdatesMax: number;
}

export const DEFAULT_MASTER_LIMITS: MasterLimits = {
  offersPerCallMax: 100,
  tasksPerAcceptMax: 10_000,
  activeTasksMax: 100_000,
  frameworksMax: 1000,
  streamQueueMessagesMax: 100_000,
  listTasksMax: 10_000,
  stringBytesMax: 1024,
  labelsMax: 64,
  outboxUpdatesMax: 10_000,
};

export interface TaskStoreLimits {
  /** Finished tasks kept (oldest dropped first). */
  completedTasksMax: number;
  /** Status updates kept per task. */
  historyPerTaskMax: number;
}

export const DEFAULT_TASK_STORE_LIMITS: TaskStoreLimits = {
  completedTasksMax: 10_000,
  historyPerTaskMax: 64,
};

export interface AgentLimits {
  /** Status updates held per task until its framework acknowledges them (past it the oldest non-terminal one after the head is dropped). */
  updatesPerTaskMax: number;
  /** Finished tasks whose sandbox (and output) is kept; older ones are removed. */
  completedTasksRetainedMax: number;
  /** Largest ReadOutput answer when the caller gives no length. */
  readOutputBytesMax: number;
}

export const DEFAULT_AGENT_LIMITS: AgentLimits = {
  updatesPerTaskMax: 1000,
  completedTasksRetainedMax: 1000,
  readOutputBytesMax: 1024 * 1024,
};

