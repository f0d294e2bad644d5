// The task store (DESIGN.md §2 "Operator API and task store"): task records and their status
// history, behind one interface so that the master does not care where they live. In memory by
// default; Redis when configured, so that a new leader knows the tasks at once and finished tasks
// stay visible to operators. Large, fast-changing task state belongs here, not in the
// coordination service.
import type { rmV1 } from '@ensemble/proto';
import type { TaskStateName } from '../../task-state';

export interface TaskRecord {
  readonly taskId: string;
  readonly frameworkId: string;
  readonly agentId: string;
  /** The framework's role when the task was launched (for accounting after failover). */
  readonly role: string;
  readonly info: rmV1.TaskInfo__Output;
  readonly state: TaskStateName;
  readonly lastStatus: rmV1.TaskStatus__Output;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
}

export interface ListTasksOptions {
  readonly includeCompleted: boolean;
  readonly frameworkId?: string;
  readonly limit: number;
}

export interface TaskStore {
  readonly kind: 'memory' | 'redis';
  /** A new task (STAGING), with its first status as history. */
  create(record: TaskRecord): Promise<void>;
  /** The task moved to `record.state` because of `status` (appended to its history). */
  update(record: TaskRecord, status: rmV1.TaskStatus__Output): Promise<void>;
  get(taskId: string): Promise<TaskRecord | undefined>;
  /** Oldest first, at most historyPerTaskMax. */
  history(taskId: string): Promise<rmV1.TaskStatus__Output[]>;
  /** Live tasks first (by creation), then the most recently finished; at most `limit`. */
  list(opts: ListTasksOptions): Promise<TaskRecord[]>;
  /** Every task not in a terminal state: what a new leader starts from. */
  listActive(): Promise<TaskRecord[]>;
  close(): Promise<void>;
}

export function encodeRecord(record: TaskRecord): string {
  return JSON.stringify(record);
}

export function decodeRecord(text: string): TaskRecord {
  const value = JSON.parse(text) as TaskRecord;
  if (typeof value?.taskId !== 'string' || typeof value.state !== 'string') throw new Error(`task store: malformed record ${text.slice(0, 80)}`);
  return value;
}
