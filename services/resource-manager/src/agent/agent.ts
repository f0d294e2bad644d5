// The agent (Mesos slave): runs what the leading master launches as real processes through the
// task executor, reports every state change as a status update that is stored durably and
// resent until its framework acknowledges it (status-update-manager.ts), checks the health of
// the tasks that ask for it, kills on request, and re-registers with its tasks after a
// reconnect, a master failover or its own restart.
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '@ensemble/common';
import type { rmV1 } from '@ensemble/proto';
import { toCommand } from '../command-codec';
import { parseHealthCheck } from '../health-check';
import type { LeaderDetector } from '../leader-detector';
import { DEFAULT_AGENT_LIMITS, AgentLimits } from '../limits';
import { expandPorts } from '../resource-codec';
import { isTerminalState } from '../task-state';
import { writeFileDurably } from './durable-file';
import { DEFAULT_EXECUTOR_LIMITS, LaunchSpec, RecoveryReport, TaskRunner, TaskStatus as ExecutorStatus, buildTaskEnv, validateId } from './executor';
import { HealthChecker } from './health/health-checker';
import type { Probe } from './health/health-probe';
import { MasterLink } from './master-link';
import { StatusUpdateManager } from './status-update-manager';
import { TaskMetaStore } from './task-meta';
import type { AgentStatus } from './update-log';

export interface AgentOptions {
  readonly workDir: string;
  /** Without agent_id: the master assigns one on first registration. */
  readonly info: rmV1.AgentInfo__Output;
  readonly runner: TaskRunner;
  readonly detector: LeaderDetector;
  readonly logger: Logger;
  readonly limits?: Partial<AgentLimits>;
  /** First resend of an unacknowledged status update; later ones back off to statusUpdateRetryMaxMs. */
  readonly statusUpdateRetryMs: number;
  readonly statusUpdateRetryMaxMs: number;
  /** SIGTERM→SIGKILL for tasks that do not set their own. */
  readonly killGracePeriodMs?: number;
  /** Told when the master marks this agent gone: every task has been killed. */
  readonly onShutdown?: (reason: string) => void;
}

const AGENT_ID_FILE = 'agent-id';
const SHELL_PATH = '/bin/sh';
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export class Agent {
  private agentId: string;
  private readonly updates: StatusUpdateManager;
  private readonly meta: TaskMetaStore;
  private readonly link: MasterLink;
  private readonly health: HealthChecker;
  private readonly limits: AgentLimits;
  /** Finished tasks whose updates were all acknowledged, oldest first: kept up to completedTasksRetainedMax. */
  private readonly finished: string[] = [];
  private readonly startedAtMs = Date.now();
  private shuttingDown = false;

  constructor(private readonly opts: AgentOptions) {
    this.limits = { ...DEFAULT_AGENT_LIMITS, ...opts.limits };
    this.meta = new TaskMetaStore(opts.workDir);
    this.agentId = readAgentId(opts.workDir) ?? '';
    this.link = new MasterLink({ detector: opts.detector, logger: opts.logger, register: () => this.registerMessage() });
    this.updates = new StatusUpdateManager({
      workDir: opts.workDir,
      limits: { updatesPerTaskMax: this.limits.updatesPerTaskMax, retryInitialMs: opts.statusUpdateRetryMs, retryMaxMs: opts.statusUpdateRetryMaxMs },
      logger: opts.logger,
      send: (status, latest) => this.link.send({ statusUpdate: { status: { ...status, agentId: this.agentId }, latest: { ...latest, agentId: this.agentId } } }),
      onDone: (taskId) => this.retainFinished(taskId),
    });
    this.health = new HealthChecker({
      verdict: (taskId, healthy, message) => this.reportHealth(taskId, healthy, message),
      failed: (taskId, message) => this.killUnhealthy(taskId, message),
    });
  }

  get id(): string {
    return this.agentId;
  }

  get registered(): boolean {
    return this.link.connected;
  }

  get masterAddress(): string | undefined {
    return this.link.master;
  }

  get runner(): TaskRunner {
    return this.opts.runner;
  }

  /** Replays the update logs, recovers checkpointed tasks, then connects to the leading master. */
  async start(): Promise<void> {
    this.updates.recover();
    const recovered = await this.opts.runner.recover();
    this.reportRecovered(recovered);
    this.opts.runner.onStatus((status) => this.onRunnerStatus(status));
    for (const task of recovered.reattached) this.startHealthCheck(task.taskId, task.launchedAtMs);
    this.link.on('registered', (msg: rmV1.Registered__Output) => this.onRegistered(msg));
    this.link.on('message', (msg: rmV1.MasterMessage__Output) => void this.onMessage(msg));
    this.updates.start();
    this.link.start();
  }

  stop(): void {
    this.link.stop();
    this.updates.stop();
    this.health.stopAll();
    // The tasks run on; a restarted agent recovers them from their checkpoints.
    this.opts.runner.close();
  }

  /** What GetState shows of each task. */
  taskStates(): rmV1.AgentTask[] {
    return this.opts.runner.tasksInfo().map((t) => {
      const stats = this.opts.runner.statistics(t.taskId);
      const healthy = this.health.healthy(t.taskId);
      return {
        frameworkId: t.frameworkId,
        taskId: t.taskId,
        state: `TASK_${t.state}` as rmV1.TaskState,
        pid: t.pid,
        sandbox: t.sandbox,
        cpuUsageUsec: stats.ok ? (stats.cpuUsageUsec ?? 0) : 0,
        memoryUsageBytes: stats.ok ? (stats.memoryUsageBytes ?? 0) : 0,
        ...(healthy !== undefined ? { healthy } : {}),
        pendingUpdates: this.updates.pendingCount(t.taskId),
      };
    });
  }

  /**
   * After a restart: a task whose state differs from the last update logged for it changed while
   * the agent was down (it ended, or the agent died before logging its RUNNING) and is reported
   * now; what was already logged is not reported again.
   */
  private reportRecovered(recovered: RecoveryReport): void {
    const now = Date.now();
    for (const task of recovered.reattached) {
      if (this.updates.latest(task.taskId)?.state !== 'TASK_RUNNING') {
        this.report({ taskId: task.taskId, frameworkId: task.frameworkId, state: 'RUNNING', message: 'running (re-attached after an agent restart)', timestampMs: now });
      }
    }
    for (const status of recovered.terminated) {
      if (this.updates.latest(status.taskId)?.state !== `TASK_${status.state}`) this.report(status);
    }
    // Logged as starting, but the agent died before the process existed: it never ran, and never will.
    const known = new Set(this.opts.runner.tasksInfo().map((t) => t.taskId));
    for (const taskId of this.updates.taskIds()) {
      const latest = this.updates.latest(taskId);
      if (!known.has(taskId) && latest && !isTerminalState(latest.state)) {
        this.reportOwn(latest.frameworkId, taskId, 'TASK_LOST', 'REASON_AGENT_RESTARTED', 'the agent restarted before the task was launched');
      }
    }
    for (const taskId of this.updates.taskIds()) if (this.updates.isDone(taskId)) this.retainFinished(taskId);
    if (recovered.reattached.length + recovered.terminated.length > 0) {
      this.opts.logger.info('recovered tasks', { reattached: recovered.reattached.length, ended: recovered.terminated.length, invalid: recovered.invalid.length });
    }
  }

  /** Every task the agent knows that is live or still has updates to deliver, with its latest state. */
  private registerMessage(): rmV1.Register {
    const ids = new Set<string>();
    for (const t of this.opts.runner.tasksInfo()) if (!t.terminal) ids.add(t.taskId);
    for (const id of this.updates.taskIds()) if (this.updates.pendingCount(id) > 0) ids.add(id);
    const tasks: rmV1.RunningTask[] = [];
    const frameworks = new Map<string, rmV1.FrameworkInfo>();
    for (const taskId of ids) {
      const info = this.opts.runner.taskInfo(taskId);
      const latest = this.updates.latest(taskId);
      const meta = this.meta.read(taskId);
      const frameworkId = info?.frameworkId ?? latest?.frameworkId ?? meta?.frameworkId ?? '';
      const state = info ? (`TASK_${info.state}` as rmV1.TaskState) : (latest?.state ?? 'TASK_LOST');
      tasks.push({ frameworkId, task: meta?.task ?? { taskId }, state });
      if (meta?.framework?.frameworkId) frameworks.set(meta.framework.frameworkId, meta.framework);
    }
    return { info: { ...this.opts.info, agentId: this.agentId }, tasks, frameworks: [...frameworks.values()], startedAtMs: this.startedAtMs };
  }

  private onRegistered(msg: rmV1.Registered__Output): void {
    if (msg.agentId && msg.agentId !== this.agentId) {
      this.agentId = msg.agentId;
      writeFileDurably(path.join(this.opts.workDir, AGENT_ID_FILE), msg.agentId);
    }
    // Mesos: a (re-)registered agent flushes its status update streams to the new master.
    this.updates.resendAll();
  }

  private async onMessage(msg: rmV1.MasterMessage__Output): Promise<void> {
    switch (msg.message) {
      case 'launch':
        for (const task of msg.launch?.tasks ?? []) void this.launch(msg.launch?.frameworkId ?? '', task, msg.launch?.frameworkInfo ?? undefined);
        return;
      case 'kill':
        if (msg.kill) this.kill(msg.kill.taskId, Number(msg.kill.killGracePeriodMs));
        return;
      case 'statusAck':
        if (msg.statusAck) this.updates.acknowledge(msg.statusAck.taskId, msg.statusAck.uuid);
        return;
      case 'shutdown':
        await this.shutdown(msg.shutdown?.reason ?? 'asked by the master');
        return;
      default:
        return;
    }
  }

  /** Launches one task; what the executor refuses before starting is reported as TASK_FAILED. */
  private async launch(frameworkId: string, task: rmV1.TaskInfo__Output, framework: rmV1.FrameworkInfo__Output | undefined): Promise<void> {
    if (this.shuttingDown) return;
    const id = validateId('task', task.taskId, DEFAULT_EXECUTOR_LIMITS.idBytesMax);
    if (!id.ok) {
      // The id would name this task's files: never use it. The master validates ids, so this is a master's bug.
      this.opts.logger.warn('launch with an invalid task id ignored', { message: id.message });
      return;
    }
    const command = toCommand(task.command);
    const ports = expandPorts(task.resources?.ports ?? [], DEFAULT_EXECUTOR_LIMITS.portsMax);
    const health = parseHealthCheck(task.healthCheck, ports?.length ?? 0);
    if (typeof command === 'string' || ports === undefined || !health.ok) {
      const message = typeof command === 'string' ? command : ports === undefined ? 'too many ports' : !health.ok ? health.message : '';
      return this.reportOwn(frameworkId, task.taskId, 'TASK_FAILED', 'REASON_TASK_INVALID', message);
    }
    this.meta.write({ frameworkId, task, ...(framework ? { framework } : {}) });
    const graceMs = Number(task.killGracePeriodMs) > 0 ? Number(task.killGracePeriodMs) : this.opts.killGracePeriodMs;
    const spec: LaunchSpec = {
      taskId: task.taskId,
      frameworkId,
      command,
      env: task.command?.env ?? {},
      resources: { cpusMilli: Number(task.resources?.cpusMilli ?? 0), memBytes: Number(task.resources?.memBytes ?? 0), ports },
      ...(graceMs !== undefined ? { killGracePeriodMs: graceMs } : {}),
    };
    const result = await this.opts.runner.launch(spec);
    if (!result.ok && result.code === 'TASK_EXISTS') {
      // A repeated launch of a task this agent has: the one it has is the task, whatever its state.
      this.opts.logger.warn('launch of a task the agent already has ignored', { taskId: task.taskId });
      return;
    }
    // LAUNCH_FAILED and KILLED_DURING_LAUNCH were reported by the runner itself; the others never started.
    if (!result.ok && result.code !== 'LAUNCH_FAILED' && result.code !== 'KILLED_DURING_LAUNCH') {
      this.reportOwn(frameworkId, task.taskId, 'TASK_FAILED', 'REASON_CONTAINER_LAUNCH_FAILED', `${result.code}: ${result.message}`);
    }
  }

  /** The runner applies a kill that arrives while the task is still launching once its process exists. */
  private kill(taskId: string, gracePeriodMs: number): void {
    const killed = this.opts.runner.kill(taskId, gracePeriodMs > 0 ? gracePeriodMs : undefined);
    if (!killed.ok && killed.code === 'UNKNOWN_TASK') {
      const frameworkId = this.meta.read(taskId)?.frameworkId ?? this.updates.latest(taskId)?.frameworkId ?? '';
      this.reportOwn(frameworkId, taskId, 'TASK_LOST', 'REASON_TASK_UNKNOWN', 'the agent does not know this task');
    }
  }

  /** Mesos: an agent marked gone kills its tasks and shuts down. */
  private async shutdown(reason: string): Promise<void> {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    this.opts.logger.warn('shutting down on the master\'s request', { reason });
    this.health.stopAll();
    const live = this.opts.runner.tasksInfo().filter((t) => !t.terminal);
    for (const t of live) this.opts.runner.kill(t.taskId);
    await Promise.all(live.map((t) => this.opts.runner.wait(t.taskId)));
    fs.rmSync(path.join(this.opts.workDir, AGENT_ID_FILE), { force: true });
    this.opts.onShutdown?.(reason);
  }

  private onRunnerStatus(status: ExecutorStatus): void {
    this.report(status);
    if (status.state === 'RUNNING') this.startHealthCheck(status.taskId, Date.now());
    if (isTerminalState(`TASK_${status.state}`)) this.health.stop(status.taskId);
  }

  private startHealthCheck(taskId: string, startedAtMs: number): void {
    const meta = this.meta.read(taskId);
    const info = this.opts.runner.taskInfo(taskId);
    if (!meta?.task.healthCheck || !info || info.terminal) return;
    const ports = expandPorts(meta.task.resources?.ports ?? [], DEFAULT_EXECUTOR_LIMITS.portsMax) ?? [];
    const parsed = parseHealthCheck(meta.task.healthCheck, ports.length);
    if (!parsed.ok || !parsed.spec) return;
    const spec = parsed.spec;
    const probe: Probe =
      spec.kind === 'command' && spec.command
        ? { kind: 'command', command: spec.command, shellPath: SHELL_PATH, cwd: info.sandbox, env: buildTaskEnv({ taskId, frameworkId: info.frameworkId, sandbox: info.sandbox, ports, env: meta.task.command?.env ?? {}, defaultPath: DEFAULT_PATH }) }
        : { kind: spec.kind === 'http' ? 'http' : 'tcp', port: spec.port || ports[0], path: spec.path };
    // A re-attached task keeps its grace period from its launch, and is checked again at once.
    const delayMs = Math.max(0, spec.delayMs - (Date.now() - startedAtMs));
    this.health.start(taskId, spec, probe, startedAtMs, delayMs);
  }

  private reportHealth(taskId: string, healthy: boolean, message: string): void {
    const info = this.opts.runner.taskInfo(taskId);
    if (!info || info.terminal || info.state !== 'RUNNING') return;
    this.send({ taskId, frameworkId: info.frameworkId, agentId: this.agentId, state: 'TASK_RUNNING', reason: 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED', message, healthy, signal: '', timestampMs: Date.now(), uuid: randomUUID(), source: 'SOURCE_EXECUTOR' });
  }

  /** Mesos: a task that fails its health check too often is killed, and its end is a failure. */
  private killUnhealthy(taskId: string, message: string): void {
    this.opts.logger.warn('killing an unhealthy task', { taskId, message });
    this.opts.runner.kill(taskId, undefined, { failure: { reason: 'REASON_TASK_HEALTH_CHECK_FAILED', message } });
  }

  private report(status: ExecutorStatus): void {
    this.send({
      taskId: status.taskId,
      frameworkId: status.frameworkId,
      agentId: this.agentId,
      state: `TASK_${status.state}` as rmV1.TaskState__Output,
      reason: (status.reason ?? 'REASON_UNSPECIFIED') as rmV1.Reason,
      message: status.message ?? '',
      ...(status.exitCode !== undefined ? { exitCode: status.exitCode } : {}),
      signal: status.signal ?? '',
      timestampMs: status.timestampMs,
      uuid: randomUUID(),
      source: 'SOURCE_EXECUTOR',
    });
  }

  private reportOwn(frameworkId: string, taskId: string, state: rmV1.TaskState__Output, reason: rmV1.Reason, message: string): void {
    this.send({ taskId, frameworkId, agentId: this.agentId, state, reason, message, signal: '', timestampMs: Date.now(), uuid: randomUUID(), source: 'SOURCE_AGENT' });
  }

  private send(status: AgentStatus): void {
    this.updates.update(status);
  }

  /** Every update of the task was acknowledged: its sandbox is kept a while, then removed. */
  private retainFinished(taskId: string): void {
    this.finished.push(taskId);
    while (this.finished.length > this.limits.completedTasksRetainedMax) {
      const oldest = this.finished.shift() as string;
      const forgot = this.opts.runner.forget(oldest, { removeSandbox: true });
      if (!forgot.ok && forgot.code !== 'UNKNOWN_TASK') continue;
      // Checkpoint first, then the log: a crash in between leaves a log of a task nobody knows, not the reverse.
      this.meta.remove(oldest);
      this.updates.forget(oldest);
    }
  }
}

function readAgentId(workDir: string): string | undefined {
  try {
    const id = fs.readFileSync(path.join(workDir, AGENT_ID_FILE), 'utf8').trim();
    return id || undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
