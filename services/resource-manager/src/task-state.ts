// The task state machine (Mesos TaskState). Pure: which states are terminal, which transitions a
// status update may make, and what the master does with an update for a task it knows.
//
//   STAGING ──> STARTING ──> RUNNING ──> FINISHED | FAILED | KILLED | LOST
//      │            │           │
//      └────────────┴───────────┴──> any terminal state; UNREACHABLE (agent lost)
//   UNREACHABLE ──> STARTING | RUNNING (the agent came back) or any terminal state
//
// ERROR and DROPPED are only ever first-and-last states: the launch never reached an agent.

export const TASK_STATES = [
  'TASK_STAGING',
  'TASK_STARTING',
  'TASK_RUNNING',
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_LOST',
  'TASK_ERROR',
  'TASK_DROPPED',
  'TASK_UNREACHABLE',
  'TASK_GONE',
] as const;

export type TaskStateName = (typeof TASK_STATES)[number];

const TERMINAL: ReadonlySet<string> = new Set(['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_LOST', 'TASK_ERROR', 'TASK_DROPPED', 'TASK_GONE']);

/** Order of progress among the live states: an update never moves a task backwards. */
const PROGRESS: Readonly<Record<string, number>> = { TASK_STAGING: 0, TASK_STARTING: 1, TASK_RUNNING: 2 };

export function isTaskState(value: string): value is TaskStateName {
  return (TASK_STATES as readonly string[]).includes(value);
}

export function isTerminalState(state: string): boolean {
  return TERMINAL.has(state);
}

export type TransitionVerdict =
  | { ok: true }
  | { ok: false; code: 'ALREADY_TERMINAL' | 'BACKWARDS' | 'UNKNOWN_STATE' | 'NOT_FROM_AGENT'; message: string };

/**
 * May a task in `from` move to `to`? Repeating the current live state is allowed (an agent
 * resends an update the master never acknowledged) and is a no-op for the caller to detect.
 */
export function checkTransition(from: TaskStateName, to: string): TransitionVerdict {
  if (!isTaskState(to)) return bad('UNKNOWN_STATE', `unknown task state ${to}`);
  if (isTerminalState(from)) return bad('ALREADY_TERMINAL', `task is already ${from}`);
  if (to === 'TASK_ERROR' && from !== 'TASK_STAGING') return bad('NOT_FROM_AGENT', `${to} only ends a launch that never reached an agent`);
  if (to === 'TASK_STAGING' && from !== 'TASK_STAGING') return bad('BACKWARDS', `${from} cannot go back to TASK_STAGING`);
  if (from === 'TASK_UNREACHABLE' || to === 'TASK_UNREACHABLE' || isTerminalState(to)) return { ok: true };
  if (PROGRESS[to] < PROGRESS[from]) return bad('BACKWARDS', `${from} cannot go back to ${to}`);
  return { ok: true };
}

function bad(code: 'ALREADY_TERMINAL' | 'BACKWARDS' | 'UNKNOWN_STATE' | 'NOT_FROM_AGENT', message: string): TransitionVerdict {
  return { ok: false, code, message };
}

/** What the master does with an agent's status update for a task it tracks. */
export type UpdateDecision =
  /** Record it, tell the framework; `terminal`: release the task's resources. */
  | { action: 'apply'; terminal: boolean }
  /** A resend of the state the task is in: acknowledge, change nothing. */
  | { action: 'duplicate' }
  /** Stale or impossible: acknowledge so the agent stops resending, change nothing. */
  | { action: 'ignore'; reason: string };

/**
 * `healthChanged`: the update carries a health verdict different from the task's last one — a
 * TASK_RUNNING that says healthy/unhealthy is news, not a resend (Mesos: health status updates).
 */
export function decideUpdate(current: TaskStateName, incoming: string, healthChanged = false): UpdateDecision {
  if (incoming === current && !isTerminalState(current)) return healthChanged ? { action: 'apply', terminal: false } : { action: 'duplicate' };
  const verdict = checkTransition(current, incoming);
  if (!verdict.ok) return { action: 'ignore', reason: verdict.message };
  return { action: 'apply', terminal: isTerminalState(incoming) };
}

/** The exit code `rmctl run` reports for a task that ended this way (a shell's convention). */
export function exitCodeFor(state: string, exitCode: number | undefined): number {
  if (exitCode !== undefined) return exitCode;
  if (state === 'TASK_FINISHED') return 0;
  if (state === 'TASK_KILLED') return 137;
  return 1;
}
