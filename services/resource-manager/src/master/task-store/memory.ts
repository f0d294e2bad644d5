// The in-memory task store: the default, no setup. Lost with the leader's process; a new leader
// starts from what agents report when they re-register.
import type { rmV1 } from '@ensemble/proto';
import { DEFAULT_TASK_STORE_LIMITS, TaskStoreLimits } from '../../limits';
import { isTerminalState } from '../../task-state';
import { ListTasksOptions, TaskRecord, TaskStore } from './task-store';

interface Entry {
  record: TaskRecord;
  history: rmV1.TaskStatus__Output[];
}

export class MemoryTaskStore implements TaskStore {
  readonly kind = 'memory' as const;
  private readonly limits: TaskStoreLimits;
  /** Live tasks in creation order. */
  private readonly active = new Map<string, Entry>();
  /** Finished tasks, oldest finished first (Map keeps insertion order). */
  private readonly completed = new Map<string, Entry>();

  constructor(limits: Partial<TaskStoreLimits> = {}) {
    this.limits = { ...DEFAULT_TASK_STORE_LIMITS, ...limits };
  }

  async create(record: TaskRecord): Promise<void> {
    this.completed.delete(record.taskId);
    const entry = { record, history: [record.lastStatus] };
    if (isTerminalState(record.state)) this.finish(entry);
    else this.active.set(record.taskId, entry);
  }

  async update(record: TaskRecord, status: rmV1.TaskStatus__Output): Promise<void> {
    const entry = this.active.get(record.taskId) ?? this.completed.get(record.taskId) ?? { record, history: [] };
    entry.record = record;
    entry.history.push(status);
    if (entry.history.length > this.limits.historyPerTaskMax) entry.history.splice(0, entry.history.length - this.limits.historyPerTaskMax);
    if (isTerminalState(record.state)) {
      this.active.delete(record.taskId);
      this.finish(entry);
    } else {
      this.active.set(record.taskId, entry);
    }
  }

  private finish(entry: Entry): void {
    this.completed.delete(entry.record.taskId);
    this.completed.set(entry.record.taskId, entry);
    while (this.completed.size > this.limits.completedTasksMax) {
      const oldest = this.completed.keys().next().value as string;
      this.completed.delete(oldest);
    }
  }

  async get(taskId: string): Promise<TaskRecord | undefined> {
    return (this.active.get(taskId) ?? this.completed.get(taskId))?.record;
  }

  async history(taskId: string): Promise<rmV1.TaskStatus__Output[]> {
    return [...((this.active.get(taskId) ?? this.completed.get(taskId))?.history ?? [])];
  }

  async list(opts: ListTasksOptions): Promise<TaskRecord[]> {
    const wanted = (r: TaskRecord) => opts.frameworkId === undefined || opts.frameworkId === '' || r.frameworkId === opts.frameworkId;
    const out: TaskRecord[] = [];
    for (const { record } of this.active.values()) {
      if (out.length >= opts.limit) return out;
      if (wanted(record)) out.push(record);
    }
    if (!opts.includeCompleted) return out;
    for (const { record } of [...this.completed.values()].reverse()) {
      if (out.length >= opts.limit) return out;
      if (wanted(record)) out.push(record);
    }
    return out;
  }

  async listActive(): Promise<TaskRecord[]> {
    return [...this.active.values()].map((e) => e.record);
  }

  async close(): Promise<void> {}
}
