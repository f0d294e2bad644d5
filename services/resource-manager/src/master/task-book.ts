// The leading master's live tasks, indexed by agent and framework, kept in step with the task
// store. Every change happens in memory first (synchronously, so concurrent calls see it), then
// goes to the store in the same order. Finished tasks leave the book; their ids are remembered
// for a while so that an ACCEPT cannot reuse them.
import type { rmV1 } from '@ensemble/proto';
import { UpdateDecision, decideUpdate, isTerminalState, type TaskStateName } from '../task-state';
import type { TaskRecord, TaskStore } from './task-store';

export const FINISHED_IDS_REMEMBERED_MAX = 100_000;

export type StatusOutcome = { decision: UpdateDecision; record: TaskRecord | undefined; stored: Promise<void> };

export class TaskBook {
  private readonly active = new Map<string, TaskRecord>();
  private readonly byAgent = new Map<string, Set<string>>();
  private readonly byFramework = new Map<string, Set<string>>();
  private readonly finishedIds = new Set<string>();

  constructor(
    private readonly store: TaskStore,
    private readonly clock: () => number,
  ) {}

  get size(): number {
    return this.active.size;
  }

  get(taskId: string): TaskRecord | undefined {
    return this.active.get(taskId);
  }

  idInUse(taskId: string): boolean {
    return this.active.has(taskId) || this.finishedIds.has(taskId);
  }

  onAgent(agentId: string): TaskRecord[] {
    return [...(this.byAgent.get(agentId) ?? [])].map((id) => this.active.get(id) as TaskRecord);
  }

  ofFramework(frameworkId: string): TaskRecord[] {
    return [...(this.byFramework.get(frameworkId) ?? [])].map((id) => this.active.get(id) as TaskRecord);
  }

  all(): TaskRecord[] {
    return [...this.active.values()];
  }

  /** A task the master launches (STAGING), or adopts (failover, re-registration). */
  add(record: TaskRecord): Promise<void> {
    if (this.active.has(record.taskId)) throw new Error(`assertion: task ${record.taskId} added twice`);
    this.index(record);
    return this.store.create(record);
  }

  /** Loads a task a previous leader stored, without writing it back. */
  restore(record: TaskRecord): void {
    if (!isTerminalState(record.state) && !this.active.has(record.taskId)) this.index(record);
  }

  /** Applies a status update under the task state machine. */
  applyStatus(status: rmV1.TaskStatus__Output): StatusOutcome {
    const current = this.active.get(status.taskId);
    if (!current) return { decision: { action: 'ignore', reason: 'unknown task' }, record: undefined, stored: Promise.resolve() };
    const healthChanged = status.healthy !== undefined && status.healthy !== current.lastStatus.healthy;
    const decision = decideUpdate(current.state, status.state, healthChanged);
    if (decision.action !== 'apply') return { decision, record: current, stored: Promise.resolve() };
    const record: TaskRecord = { ...current, state: status.state as TaskStateName, lastStatus: status, updatedAtMs: this.clock() };
    if (decision.terminal) this.unindex(record);
    else this.active.set(record.taskId, record);
    return { decision, record, stored: this.store.update(record, status) };
  }

  private index(record: TaskRecord): void {
    this.active.set(record.taskId, record);
    setOf(this.byAgent, record.agentId).add(record.taskId);
    setOf(this.byFramework, record.frameworkId).add(record.taskId);
  }

  private unindex(record: TaskRecord): void {
    this.active.delete(record.taskId);
    removeFrom(this.byAgent, record.agentId, record.taskId);
    removeFrom(this.byFramework, record.frameworkId, record.taskId);
    this.finishedIds.add(record.taskId);
    if (this.finishedIds.size > FINISHED_IDS_REMEMBERED_MAX) this.finishedIds.delete(this.finishedIds.values().next().value as string);
  }

  clear(): void {
    this.active.clear();
    this.byAgent.clear();
    this.byFramework.clear();
  }
}

function setOf(map: Map<string, Set<string>>, key: string): Set<string> {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  return set;
}

function removeFrom(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key);
  set?.delete(value);
  if (set?.size === 0) map.delete(key);
}
