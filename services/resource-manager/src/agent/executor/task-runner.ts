// Runs tasks as real processes in sandboxes and cgroups, kills them with a grace period,
// checkpoints them, and finds them again after an agent restart (DESIGN.md §2 "Agents").
// The decisions (validation, outcome, liveness) are pure functions in task-spec.ts,
// task-status.ts and proc-stat.ts; this class sequences the I/O.

import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CheckpointStore, TaskCheckpoint } from './checkpoint';
import { CgroupPaths, CgroupSupport, TaskCgroup, attachTaskCgroup, createTaskCgroup } from './cgroups';
import { DEFAULT_EXECUTOR_LIMITS, DEFAULT_KILL_GRACE_PERIOD_MS, ExecutorLimits } from './executor-limits';
import { classifyProcess, readBootId, readProcStat } from './proc-stat';
import { FollowOptions, OutputChunk, OutputStream, followFile, readFileChunk } from './task-output';
import { readRecordedExitStatus, sandboxPath, signalGroup, spawnWrapped } from './task-process';
import { LaunchSpec, SpecErrorCode, buildTaskEnv, commandArgv, validateGracePeriod, validateLaunchSpec } from './task-spec';
import { ExitFacts, GoneWhy, KillFailure, Outcome, TaskState, TaskStatus, decideOutcome, decideRecoveredOutcome } from './task-status';

/** Structural, so a winston logger (or nothing) fits. */
export interface ExecutorLogger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
}

export interface TaskRunnerOptions {
  readonly workDir: string;
  readonly cgroups: CgroupSupport;
  readonly limits?: Partial<ExecutorLimits>;
  readonly shellPath?: string;
  /** PATH for tasks that do not set one. */
  readonly defaultPath?: string;
  readonly clock?: () => number;
  readonly logger?: ExecutorLogger;
}

/** LAUNCH_FAILED and KILLED_DURING_LAUNCH were reported as the task's terminal status; the others never started it. */
export type LaunchErrorCode = SpecErrorCode | 'TASK_EXISTS' | 'LIMIT_EXCEEDED' | 'LAUNCH_FAILED' | 'KILLED_DURING_LAUNCH' | 'CLOSED';
export type LaunchResult = { ok: true; pid: number; sandbox: string } | { ok: false; code: LaunchErrorCode; message: string };
export type KillResult = { ok: true } | { ok: false; code: 'UNKNOWN_TASK' | 'ALREADY_TERMINAL' | 'INVALID_ARGUMENT'; message: string };

export interface KillOptions {
  /** The kill is the task's failure (e.g. failing health checks): it ends FAILED with this reason. */
  readonly failure?: KillFailure;
}
export type Failure = { ok: false; code: 'UNKNOWN_TASK' | 'NOT_TERMINAL' | 'INVALID_ARGUMENT'; message: string };

export interface TaskInfo {
  readonly taskId: string;
  readonly frameworkId: string;
  readonly state: TaskState;
  readonly pid: number;
  readonly sandbox: string;
  readonly cgroup: CgroupPaths | null;
  readonly launchedAtMs: number;
  readonly terminal?: TaskStatus;
}

export interface RecoveryReport {
  /** Live tasks found again and supervised from now on; their end is emitted as usual. */
  readonly reattached: TaskInfo[];
  /** Tasks that ended while the agent was down (or before), with their outcome; not emitted. */
  readonly terminated: TaskStatus[];
  /** Checkpoint files that could not be trusted; left in place for an operator. */
  readonly invalid: Array<{ file: string; message: string }>;
}

export interface TaskStatistics {
  readonly ok: true;
  readonly isolated: boolean;
  readonly cpuUsageUsec?: number;
  readonly memoryUsageBytes?: number;
}

interface TaskEntry {
  checkpoint: TaskCheckpoint;
  cgroup: TaskCgroup | undefined;
  child: ChildProcess | undefined;
  state: TaskState;
  /** Between launch() and the spawned process being adopted: no pid to signal yet. */
  launching: boolean;
  /** The grace a kill asked for while launching; applied once the process exists. */
  pendingKillGraceMs: number | undefined;
  killTimer: NodeJS.Timeout | undefined;
  /** When the pending SIGKILL fires: a later kill may only bring it forward. */
  killDeadlineMs: number | undefined;
  launchFailure: string | undefined;
  finishing: boolean;
  readonly waiters: Array<(status: TaskStatus) => void>;
}

type StatusListener = (status: TaskStatus) => void;

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export class TaskRunner {
  readonly workDir: string;
  readonly cgroups: CgroupSupport;
  private readonly limits: ExecutorLimits;
  private readonly shellPath: string;
  private readonly defaultPath: string;
  private readonly clock: () => number;
  private readonly logger: ExecutorLogger | undefined;
  private readonly store: CheckpointStore;
  private readonly bootId: string;
  private readonly tasks = new Map<string, TaskEntry>();
  /** Tasks we are not the parent of (found by recover()): polled for liveness. */
  private readonly reattached = new Set<TaskEntry>();
  private readonly listeners = new Set<StatusListener>();
  private pollTimer: NodeJS.Timeout | undefined;
  private isClosed = false;
  private recovered = false;

  constructor(opts: TaskRunnerOptions) {
    this.workDir = path.resolve(opts.workDir);
    this.cgroups = opts.cgroups;
    this.limits = { ...DEFAULT_EXECUTOR_LIMITS, ...opts.limits };
    this.shellPath = opts.shellPath ?? '/bin/sh';
    this.defaultPath = opts.defaultPath ?? DEFAULT_PATH;
    this.clock = opts.clock ?? Date.now;
    this.logger = opts.logger;
    this.store = new CheckpointStore(this.workDir, this.limits.checkpointBytesMax);
    this.bootId = readBootId();
    if (opts.cgroups.version === 'none') this.logger?.warn('tasks run unisolated', { reason: opts.cgroups.reason });
  }

  /** True after close(): the runner no longer launches or watches anything. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** Every status change (STARTING, RUNNING, terminal) of every task. Returns an unsubscribe. */
  onStatus(listener: StatusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async launch(spec: LaunchSpec): Promise<LaunchResult> {
    const refused = this.refuseLaunch(spec);
    if (refused) return refused;
    const sandbox = sandboxPath(spec.sandboxRoot ?? path.join(this.workDir, 'sandboxes'), spec.frameworkId, spec.taskId);
    // One entry from STARTING to the end: a kill() while launching lands on it and is applied
    // once the process exists (the entry is not replaced, so neither is its kill).
    const entry = this.newEntry(this.draftCheckpoint(spec, sandbox), undefined);
    entry.launching = true;
    this.tasks.set(spec.taskId, entry);
    this.emit(entry, { state: 'STARTING' });
    if (entry.checkpoint.killRequestedAtMs !== undefined) return this.killedDuringLaunch(entry);
    const cgroup = this.createCgroup(spec);
    if (!cgroup.ok) return this.failLaunch(entry, cgroup.message);
    const env = buildTaskEnv({ ...spec, env: spec.env ?? {}, ports: spec.resources.ports, sandbox, defaultPath: this.defaultPath });
    let spawned: Awaited<ReturnType<typeof spawnWrapped>>;
    try {
      spawned = await spawnWrapped({ shellPath: this.shellPath, sandbox, argv: commandArgv(spec.command, this.shellPath), env, procsFiles: cgroup.cgroup?.procsFiles ?? [] });
    } catch (err) {
      spawned = { ok: false, message: `cannot prepare sandbox ${sandbox}: ${(err as Error).message}` };
    }
    if (!spawned.ok) {
      await cgroup.cgroup?.remove();
      return this.failLaunch(entry, spawned.message);
    }
    this.adoptChild(entry, spawned.child, spawned.pid, cgroup.cgroup);
    this.emit(entry, { state: 'RUNNING', message: `pid ${spawned.pid}` });
    this.logger?.info('task running', { taskId: spec.taskId, frameworkId: spec.frameworkId, pid: spawned.pid });
    return { ok: true, pid: spawned.pid, sandbox };
  }

  private refuseLaunch(spec: LaunchSpec): Extract<LaunchResult, { ok: false }> | undefined {
    if (this.isClosed) return { ok: false, code: 'CLOSED', message: 'the task runner is closed' };
    const check = validateLaunchSpec(spec, this.limits);
    if (!check.ok) return check;
    if (this.tasks.has(spec.taskId) || this.store.has(spec.taskId)) {
      return { ok: false, code: 'TASK_EXISTS', message: `task ${spec.taskId} exists; forget() it first` };
    }
    const live = [...this.tasks.values()].filter((e) => e.checkpoint.terminal === undefined).length;
    if (live >= this.limits.tasksMax) return { ok: false, code: 'LIMIT_EXCEEDED', message: `already running ${live} tasks (tasksMax)` };
    return undefined;
  }

  private createCgroup(spec: LaunchSpec): { ok: true; cgroup: TaskCgroup | undefined } | { ok: false; message: string } {
    if (this.cgroups.version === 'none') return { ok: true, cgroup: undefined };
    const created = createTaskCgroup(this.cgroups, spec.taskId, spec.resources);
    return created.ok ? { ok: true, cgroup: created.cgroup } : created;
  }

  private draftCheckpoint(spec: LaunchSpec, sandbox: string): TaskCheckpoint {
    return {
      formatVersion: 1,
      taskId: spec.taskId,
      frameworkId: spec.frameworkId,
      pid: 1,
      pgid: 1,
      startTimeTicks: 0,
      bootId: this.bootId,
      cgroup: null,
      sandbox,
      command: spec.command,
      resources: { cpusMilli: spec.resources.cpusMilli, memBytes: spec.resources.memBytes, ports: [...spec.resources.ports] },
      killGracePeriodMs: spec.killGracePeriodMs ?? DEFAULT_KILL_GRACE_PERIOD_MS,
      launchedAtMs: this.clock(),
    };
  }

  /**
   * Checkpoints the spawned wrapper before the event loop turns: libuv reaps children only from
   * the loop, so /proc/<pid>/stat is still there (at worst a zombie) and its start time is ours.
   * A kill asked for while launching is carried out now, with the grace it asked for.
   */
  private adoptChild(entry: TaskEntry, child: ChildProcess, pid: number, cgroup: TaskCgroup | undefined): void {
    const stat = readProcStat(pid);
    if (stat === undefined) throw new Error(`assertion: /proc/${pid}/stat vanished before the child was reaped`);
    entry.checkpoint = { ...entry.checkpoint, pid, pgid: pid, startTimeTicks: stat.startTimeTicks, cgroup: cgroup?.paths ?? null };
    entry.cgroup = cgroup;
    entry.child = child;
    entry.launching = false;
    child.once('exit', (code, signal) => {
      entry.child = undefined;
      void this.finish(entry, { wrapperExitCode: code, wrapperSignal: signal });
    });
    try {
      this.store.write(entry.checkpoint);
    } catch (err) {
      // Without a checkpoint a restarted agent could not find the task: it must not run.
      entry.launchFailure = `cannot checkpoint task: ${(err as Error).message}`;
      this.forceKill(entry);
      return;
    }
    if (entry.checkpoint.killRequestedAtMs !== undefined) this.startKill(entry, entry.pendingKillGraceMs ?? entry.checkpoint.killGracePeriodMs);
  }

  /** Mesos: a task killed before its process started is KILLED (REASON_TASK_KILLED_DURING_LAUNCH) and never runs. */
  private killedDuringLaunch(entry: TaskEntry): LaunchResult {
    entry.launching = false;
    const failure = entry.checkpoint.killFailure;
    const outcome: Outcome = failure ? { state: 'FAILED', ...failure } : { state: 'KILLED', reason: 'REASON_TASK_KILLED_DURING_LAUNCH', message: 'killed before its process started' };
    const status = this.makeStatus(entry, outcome);
    entry.checkpoint = { ...entry.checkpoint, terminal: status };
    this.settle(entry, status);
    return { ok: false, code: 'KILLED_DURING_LAUNCH', message: 'killed before its process started' };
  }

  private failLaunch(entry: TaskEntry, message: string): LaunchResult {
    entry.launching = false;
    const status = this.makeStatus(entry, { state: 'FAILED', reason: 'REASON_CONTAINER_LAUNCH_FAILED', message });
    entry.checkpoint = { ...entry.checkpoint, terminal: status };
    this.settle(entry, status);
    this.logger?.warn('task launch failed', { taskId: entry.checkpoint.taskId, message });
    return { ok: false, code: 'LAUNCH_FAILED', message };
  }

  /**
   * SIGTERM to the task's process group now, SIGKILL to the group and its cgroup after the grace
   * period (Mesos: executor_shutdown_grace_period). A second kill can only shorten the wait. A
   * kill while the task is still launching is applied as soon as its process exists (or, before
   * the spawn, keeps it from ever running).
   */
  kill(taskId: string, gracePeriodMs?: number, opts: KillOptions = {}): KillResult {
    const entry = this.tasks.get(taskId);
    if (!entry) return { ok: false, code: 'UNKNOWN_TASK', message: `no task ${taskId}` };
    if (entry.checkpoint.terminal || entry.finishing) return { ok: false, code: 'ALREADY_TERMINAL', message: `task ${taskId} already ended` };
    const grace = validateGracePeriod(gracePeriodMs, this.limits);
    if (!grace.ok) return { ok: false, code: 'INVALID_ARGUMENT', message: grace.message };
    const graceMs = gracePeriodMs ?? entry.checkpoint.killGracePeriodMs;
    if (entry.checkpoint.killRequestedAtMs === undefined) {
      const next: TaskCheckpoint = { ...entry.checkpoint, killRequestedAtMs: this.clock(), ...(opts.failure ? { killFailure: opts.failure } : {}) };
      // While launching there is no process and no checkpoint on disk yet: adoptChild writes it.
      if (entry.launching) entry.checkpoint = next;
      else this.checkpointQuietly(entry, next);
    }
    this.logger?.info('killing task', { taskId, gracePeriodMs: graceMs, ...(entry.launching ? { launching: true } : {}) });
    if (entry.launching) entry.pendingKillGraceMs = Math.min(entry.pendingKillGraceMs ?? graceMs, graceMs);
    else this.startKill(entry, graceMs);
    return { ok: true };
  }

  /** SIGTERM now and SIGKILL after graceMs (0: SIGKILL now); an earlier deadline replaces a later one. */
  private startKill(entry: TaskEntry, graceMs: number): void {
    if (graceMs === 0) return this.forceKill(entry);
    const deadlineMs = this.clock() + graceMs;
    if (entry.killDeadlineMs !== undefined && entry.killDeadlineMs <= deadlineMs) return;
    if (entry.killDeadlineMs === undefined) this.signalTask(entry, 'SIGTERM');
    clearTimeout(entry.killTimer);
    entry.killDeadlineMs = deadlineMs;
    entry.killTimer = setTimeout(() => this.forceKill(entry), graceMs);
  }

  private forceKill(entry: TaskEntry): void {
    clearTimeout(entry.killTimer);
    entry.killTimer = undefined;
    entry.killDeadlineMs = undefined;
    this.signalTask(entry, 'SIGKILL');
    entry.cgroup?.kill();
  }

  /** Signals the group, but never a group whose leader is no longer our process (PID reuse). */
  private signalTask(entry: TaskEntry, signal: NodeJS.Signals): void {
    if (entry.child === undefined && !this.isStillOurs(entry)) return;
    signalGroup(entry.checkpoint.pgid, signal);
  }

  private isStillOurs(entry: TaskEntry): boolean {
    return classifyProcess(entry.checkpoint, this.bootId, readProcStat(entry.checkpoint.pid)).alive;
  }

  /** Resolves with the task's terminal status (at once if it already has one). */
  wait(taskId: string): Promise<TaskStatus> {
    const entry = this.tasks.get(taskId);
    if (!entry) return Promise.reject(new Error(`wait: no task ${taskId}`));
    const done = entry.checkpoint.terminal;
    if (done) return Promise.resolve(done);
    return new Promise((resolve) => entry.waiters.push(resolve));
  }

  /**
   * Gathers the facts about a task that ended (or was found gone) and settles it: decides the
   * outcome, kills what is left of its group and cgroup, removes the cgroup, checkpoints the
   * terminal status, then emits it.
   */
  private async finish(entry: TaskEntry, wrapper?: Pick<ExitFacts, 'wrapperExitCode' | 'wrapperSignal'>, gone?: GoneWhy, emit = true): Promise<TaskStatus> {
    if (entry.finishing) throw new Error(`assertion: task ${entry.checkpoint.taskId} finished twice`);
    entry.finishing = true;
    clearTimeout(entry.killTimer);
    this.reattached.delete(entry);
    const outcome = this.decide(entry, wrapper, gone);
    // A pid nobody holds can still name our group while orphans of the task live in it; a
    // reused pid or another boot cannot.
    if (gone !== 'PID_REUSED' && gone !== 'REBOOTED') signalGroup(entry.checkpoint.pgid, 'SIGKILL');
    if (entry.cgroup) {
      const removed = await entry.cgroup.remove({ attemptsMax: this.limits.cgroupRemoveAttemptsMax, retryMs: this.limits.cgroupRemoveRetryMs });
      if (!removed.ok) this.logger?.warn('cgroup left behind', { taskId: entry.checkpoint.taskId, message: removed.message });
    }
    const status = this.makeStatus(entry, outcome);
    this.checkpointQuietly(entry, { ...entry.checkpoint, terminal: status });
    this.settle(entry, status, emit);
    this.logger?.info('task ended', { taskId: status.taskId, state: status.state, reason: status.reason, exitCode: status.exitCode });
    return status;
  }

  private decide(entry: TaskEntry, wrapper: Pick<ExitFacts, 'wrapperExitCode' | 'wrapperSignal'> | undefined, gone: GoneWhy | undefined): Outcome {
    if (entry.launchFailure !== undefined) return { state: 'FAILED', reason: 'REASON_CONTAINER_LAUNCH_FAILED', message: entry.launchFailure };
    const recordedExitCode = readRecordedExitStatus(entry.checkpoint.sandbox);
    const diedOfSigkill = wrapper?.wrapperSignal === 'SIGKILL' || recordedExitCode === 137 || wrapper?.wrapperExitCode === 137;
    const facts: ExitFacts = {
      ...wrapper,
      ...(recordedExitCode !== undefined ? { recordedExitCode } : {}),
      killRequested: entry.checkpoint.killRequestedAtMs !== undefined,
      ...(entry.checkpoint.killFailure ? { killFailure: entry.checkpoint.killFailure } : {}),
      oomKilled: entry.cgroup?.oomKilled({ diedOfSigkill }) ?? false,
      memBytes: entry.checkpoint.resources.memBytes,
    };
    return gone === undefined ? decideOutcome(facts) : decideRecoveredOutcome(facts, gone);
  }

  /**
   * After an agent restart: loads every checkpoint; a task whose wrapper is still the same process
   * (same boot, pid alive, same start time) is re-attached and polled, since it is no longer our
   * child; the others are settled from what they left behind (.exit_status, the OOM counter).
   */
  async recover(): Promise<RecoveryReport> {
    if (this.recovered || this.tasks.size > 0) throw new Error('assertion: recover() must run once, before any launch');
    this.recovered = true;
    const { records, invalid } = this.store.loadAll();
    const reattached: TaskInfo[] = [];
    const terminated: TaskStatus[] = [];
    for (const record of records) {
      const entry = this.newEntry(record, record.cgroup ? attachTaskCgroup(record.cgroup) : undefined);
      this.tasks.set(record.taskId, entry);
      if (record.terminal) {
        entry.state = record.terminal.state;
        terminated.push(record.terminal);
        continue;
      }
      const liveness = classifyProcess(record, this.bootId, readProcStat(record.pid));
      if (liveness.alive) {
        entry.state = 'RUNNING';
        this.reattached.add(entry);
        reattached.push(this.info(entry));
      } else {
        terminated.push(await this.finish(entry, undefined, liveness.why, false));
      }
    }
    if (this.reattached.size > 0) this.pollTimer = setInterval(() => this.pollReattached(), this.limits.reattachPollMs);
    this.logger?.info('recovered tasks', { reattached: reattached.length, terminated: terminated.length, invalid: invalid.length });
    return { reattached, terminated, invalid };
  }

  /** Mesos recovers non-child executors the same way: by polling for the pid's liveness. */
  private pollReattached(): void {
    for (const entry of [...this.reattached]) {
      const liveness = classifyProcess(entry.checkpoint, this.bootId, readProcStat(entry.checkpoint.pid));
      if (!liveness.alive) void this.finish(entry, undefined, liveness.why);
    }
    if (this.reattached.size === 0) this.stopPolling();
  }

  private stopPolling(): void {
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
  }

  async readOutput(taskId: string, stream: OutputStream, range: { offset: number; length: number }): Promise<({ ok: true } & OutputChunk) | Failure> {
    const entry = this.tasks.get(taskId);
    if (!entry) return { ok: false, code: 'UNKNOWN_TASK', message: `no task ${taskId}` };
    if (!Number.isSafeInteger(range.offset) || range.offset < 0 || !Number.isSafeInteger(range.length) || range.length < 0) {
      return { ok: false, code: 'INVALID_ARGUMENT', message: 'offset and length must be non-negative integers' };
    }
    const chunk = await readFileChunk(path.join(entry.checkpoint.sandbox, stream), range.offset, Math.min(range.length, this.limits.readBytesMax));
    return { ok: true, ...chunk };
  }

  /** tail -f of a task's output, bounded by maxBytes (default followBytesDefault); ends when the task has and all is read. */
  followOutput(taskId: string, stream: OutputStream, opts: FollowOptions = {}): { ok: true; chunks: AsyncGenerator<Buffer> } | Failure {
    const entry = this.tasks.get(taskId);
    if (!entry) return { ok: false, code: 'UNKNOWN_TASK', message: `no task ${taskId}` };
    const chunks = followFile(
      { file: path.join(entry.checkpoint.sandbox, stream), ended: () => entry.checkpoint.terminal !== undefined },
      {
        offset: opts.offset ?? 0,
        maxBytes: opts.maxBytes ?? this.limits.followBytesDefault,
        pollMs: opts.pollMs ?? this.limits.followPollMsDefault,
        chunkBytes: opts.chunkBytes ?? 64 * 1024,
        ...(opts.signal ? { signal: opts.signal } : {}),
      },
    );
    return { ok: true, chunks };
  }

  /** CPU time and memory of a running task, from its cgroup (Mesos: ResourceStatistics). */
  statistics(taskId: string): TaskStatistics | Failure {
    const entry = this.tasks.get(taskId);
    if (!entry) return { ok: false, code: 'UNKNOWN_TASK', message: `no task ${taskId}` };
    const cpuUsageUsec = entry.cgroup?.cpuUsageUsec();
    const memoryUsageBytes = entry.cgroup?.memoryUsageBytes();
    return {
      ok: true,
      isolated: entry.cgroup !== undefined,
      ...(cpuUsageUsec !== undefined ? { cpuUsageUsec } : {}),
      ...(memoryUsageBytes !== undefined ? { memoryUsageBytes } : {}),
    };
  }

  tasksInfo(): TaskInfo[] {
    return [...this.tasks.values()].map((e) => this.info(e));
  }

  taskInfo(taskId: string): TaskInfo | undefined {
    const entry = this.tasks.get(taskId);
    return entry && this.info(entry);
  }

  /** Drops a terminal task: its checkpoint, and its sandbox when asked (after the framework acknowledged). */
  forget(taskId: string, opts: { removeSandbox?: boolean } = {}): { ok: true } | Failure {
    const entry = this.tasks.get(taskId);
    if (!entry) return { ok: false, code: 'UNKNOWN_TASK', message: `no task ${taskId}` };
    if (!entry.checkpoint.terminal) return { ok: false, code: 'NOT_TERMINAL', message: `task ${taskId} has not ended` };
    this.store.remove(taskId);
    if (opts.removeSandbox) fs.rmSync(entry.checkpoint.sandbox, { recursive: true, force: true });
    this.tasks.delete(taskId);
    return { ok: true };
  }

  /**
   * Stops supervising without touching the tasks: they run on (detached, checkpointed) and a new
   * runner on the same work dir recovers them. This is what an agent does when it stops.
   */
  close(): void {
    this.isClosed = true;
    this.stopPolling();
    for (const entry of this.tasks.values()) {
      clearTimeout(entry.killTimer);
      entry.child?.removeAllListeners('exit');
      entry.child?.unref();
    }
    this.listeners.clear();
  }

  private newEntry(checkpoint: TaskCheckpoint, cgroup: TaskCgroup | undefined): TaskEntry {
    return { checkpoint, cgroup, child: undefined, state: 'STARTING', launching: false, pendingKillGraceMs: undefined, killTimer: undefined, killDeadlineMs: undefined, launchFailure: undefined, finishing: false, waiters: [] };
  }

  private info(entry: TaskEntry): TaskInfo {
    const c = entry.checkpoint;
    return {
      taskId: c.taskId,
      frameworkId: c.frameworkId,
      state: entry.state,
      // While launching the checkpoint is a draft: there is no process yet.
      pid: entry.launching ? 0 : c.pid,
      sandbox: c.sandbox,
      cgroup: c.cgroup,
      launchedAtMs: c.launchedAtMs,
      ...(c.terminal ? { terminal: c.terminal } : {}),
    };
  }

  private makeStatus(entry: TaskEntry, outcome: Outcome): TaskStatus {
    return { taskId: entry.checkpoint.taskId, frameworkId: entry.checkpoint.frameworkId, ...outcome, timestampMs: this.clock() };
  }

  private emit(entry: TaskEntry, outcome: Outcome): void {
    entry.state = outcome.state;
    const status = this.makeStatus(entry, outcome);
    for (const listener of this.listeners) listener(status);
  }

  private settle(entry: TaskEntry, status: TaskStatus, emit = true): void {
    entry.state = status.state;
    if (emit) for (const listener of this.listeners) listener(status);
    for (const resolve of entry.waiters.splice(0)) resolve(status);
  }

  private checkpointQuietly(entry: TaskEntry, next: TaskCheckpoint): void {
    entry.checkpoint = next;
    if (entry.launchFailure !== undefined) return;
    try {
      this.store.write(next);
    } catch (err) {
      this.logger?.warn('checkpoint write failed', { taskId: next.taskId, message: (err as Error).message });
    }
  }
}
