// The agent (Mesos slave): runs what the leading master launches as real processes through the
// task executor, reports every state change as a status update with a uuid (kept until a master
// acknowledges it), kills on request, and re-registers with its running tasks after a reconnect
// or a master failover.
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '@ensemble/common';
import type { rmV1 } from '@ensemble/proto';
import { DEFAULT_AGENT_LIMITS, AgentLimits } from '../limits';
import { expandPorts } from '../resource-codec';
import { toCommand } from '../master/accept-validation';
import { LaunchSpec, TaskRunner, TaskStatus as ExecutorStatus, validateId, DEFAULT_EXECUTOR_LIMITS } from './executor';
import { MasterLink } from './master-link';
import { StatusQueue } from './status-queue';
import { TaskMetaStore } from './task-meta';
import type { LeaderDetector } from '../leader-detector';

export interface AgentOptions {
  readonly workDir: string;
  /** Without agent_id: the master assigns one on first registration. */
  readonly info: rmV1.AgentInfo__Output;
  readonly runner: TaskRunner;
  readonly detector: LeaderDetector;
  readonly logger: Logger;
  readonly limits?: Partial<AgentLimits>;
  /** Told when the master marks this agent gone: every task has been killed. */
  readonly onShutdown?: (reason: string) => void;
}

const AGENT_ID_FILE = 'agent-id';

export class Agent {
  private agentId: string;
  private readonly pending: StatusQueue;
  private readonly meta: TaskMetaStore;
  private readonly link: MasterLink;
  private readonly limits: AgentLimits;
  private readonly launching = new Map<string, Promise<unknown>>();
  /** Finished tasks, oldest first: their sandboxes are kept up to completedTasksRetainedMax. */
  private readonly finished: string[] = [];
  private readonly startedAtMs = Date.now();
  private shuttingDown = false;

  constructor(private readonly opts: AgentOptions) {
    this.limits = { ...DEFAULT_AGENT_LIMITS, ...opts.limits };
    this.pending = new StatusQueue(this.limits.pendingUpdatesMax);
    this.meta = new TaskMetaStore(opts.workDir);
    this.agentId = readAgentId(opts.workDir) ?? '';
    this.link = new MasterLink({ detector: opts.detector, logger: opts.logger, register: () => this.registerMessage() });
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

  /** Recovers checkpointed tasks, then connects to the leading master. */
  async start(): Promise<void> {
    const recovered = await this.opts.runner.recover();
    for (const status of recovered.terminated) this.report(status);
    if (recovered.reattached.length + recovered.terminated.length > 0) {
      this.opts.logger.info('recovered tasks', { reattached: recovered.reattached.length, ended: recovered.terminated.length });
    }
    this.opts.runner.onStatus((status) => this.report(status));
    this.link.on('registered', (msg: rmV1.Registered__Output) => this.onRegistered(msg));
    this.link.on('message', (msg: rmV1.MasterMessage__Output) => void this.onMessage(msg));
    this.link.start();
  }

  stop(): void {
    this.link.stop();
    // The tasks run on; a restarted agent recovers them from their checkpoints.
    this.opts.runner.close();
  }

  private registerMessage(): rmV1.Register {
    const tasks: rmV1.RunningTask[] = [];
    for (const info of this.opts.runner.tasksInfo()) {
      if (info.terminal) continue;
      const meta = this.meta.read(info.taskId);
      tasks.push({ frameworkId: info.frameworkId, task: meta?.task ?? { taskId: info.taskId }, state: `TASK_${info.state}` as rmV1.TaskState });
    }
    return { info: { ...this.opts.info, agentId: this.agentId }, tasks, unacknowledged: this.pending.all(), startedAtMs: this.startedAtMs };
  }

  private onRegistered(msg: rmV1.Registered__Output): void {
    if (msg.agentId && msg.agentId !== this.agentId) {
      this.agentId = msg.agentId;
      writeAgentId(this.opts.workDir, msg.agentId);
    }
  }

  private async onMessage(msg: rmV1.MasterMessage__Output): Promise<void> {
    switch (msg.message) {
      case 'launch':
        for (const task of msg.launch?.tasks ?? []) void this.launch(msg.launch?.frameworkId ?? '', task);
        return;
      case 'kill':
        if (msg.kill) await this.kill(msg.kill.taskId, Number(msg.kill.killGracePeriodMs));
        return;
      case 'statusAck':
        if (msg.statusAck) this.acknowledged(msg.statusAck.uuid);
        return;
      case 'shutdown':
        await this.shutdown(msg.shutdown?.reason ?? 'asked by the master');
        return;
      default:
        return;
    }
  }

  /** Launches one task; what the executor refuses before starting is reported as TASK_FAILED. */
  private async launch(frameworkId: string, task: rmV1.TaskInfo__Output): Promise<void> {
    if (this.shuttingDown) return;
    const id = validateId('task', task.taskId, DEFAULT_EXECUTOR_LIMITS.idBytesMax);
    const command = toCommand(task.command);
    const ports = expandPorts(task.resources?.ports ?? [], DEFAULT_EXECUTOR_LIMITS.portsMax);
    if (!id.ok || typeof command === 'string' || ports === undefined) {
      const message = !id.ok ? id.message : typeof command === 'string' ? command : 'too many ports';
      return this.reportOwn(frameworkId, task.taskId, 'TASK_FAILED', 'REASON_TASK_INVALID', message);
    }
    this.meta.write({ frameworkId, task });
    const spec: LaunchSpec = {
      taskId: task.taskId,
      frameworkId,
      command,
      env: task.command?.env ?? {},
      resources: { cpusMilli: Number(task.resources?.cpusMilli ?? 0), memBytes: Number(task.resources?.memBytes ?? 0), ports },
      ...(Number(task.killGracePeriodMs) > 0 ? { killGracePeriodMs: Number(task.killGracePeriodMs) } : {}),
    };
    const launched = this.opts.runner.launch(spec);
    this.launching.set(task.taskId, launched);
    const result = await launched;
    this.launching.delete(task.taskId);
    // LAUNCH_FAILED was reported by the runner itself (TASK_FAILED); the others never started.
    if (!result.ok && result.code !== 'LAUNCH_FAILED') {
      this.reportOwn(frameworkId, task.taskId, 'TASK_FAILED', 'REASON_CONTAINER_LAUNCH_FAILED', `${result.code}: ${result.message}`);
    }
  }

  private async kill(taskId: string, gracePeriodMs: number): Promise<void> {
    // A kill that overtakes its launch waits for the process to exist.
    await this.launching.get(taskId);
    const killed = this.opts.runner.kill(taskId, gracePeriodMs > 0 ? gracePeriodMs : undefined);
    if (!killed.ok && killed.code === 'UNKNOWN_TASK') {
      const frameworkId = this.meta.read(taskId)?.frameworkId ?? '';
      this.reportOwn(frameworkId, taskId, 'TASK_LOST', 'REASON_TASK_UNKNOWN', 'the agent does not know this task');
    }
  }

  /** Mesos: an agent marked gone kills its tasks and shuts down. */
  private async shutdown(reason: string): Promise<void> {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    this.opts.logger.warn('shutting down on the master\'s request', { reason });
    const live = this.opts.runner.tasksInfo().filter((t) => !t.terminal);
    for (const t of live) this.opts.runner.kill(t.taskId);
    await Promise.all(live.map((t) => this.opts.runner.wait(t.taskId)));
    fs.rmSync(path.join(this.opts.workDir, AGENT_ID_FILE), { force: true });
    this.opts.onShutdown?.(reason);
  }

  private report(status: ExecutorStatus): void {
    this.send({
      taskId: status.taskId,
      frameworkId: status.frameworkId,
      agentId: this.agentId,
      state: `TASK_${status.state}` as rmV1.TaskState,
      reason: (status.reason ?? 'REASON_UNSPECIFIED') as rmV1.Reason,
      message: status.message ?? '',
      ...(status.exitCode !== undefined ? { exitCode: status.exitCode } : {}),
      signal: status.signal ?? '',
      timestampMs: status.timestampMs,
      uuid: randomUUID(),
      source: 'SOURCE_EXECUTOR',
    });
  }

  private reportOwn(frameworkId: string, taskId: string, state: rmV1.TaskState, reason: rmV1.Reason, message: string): void {
    this.send({ taskId, frameworkId, agentId: this.agentId, state, reason, message, signal: '', timestampMs: Date.now(), uuid: randomUUID(), source: 'SOURCE_AGENT' });
  }

  private send(status: rmV1.TaskStatus & { uuid: string }): void {
    this.pending.add(status);
    this.link.send({ statusUpdate: { status } });
  }

  private acknowledged(uuid: string): void {
    const status = this.pending.ack(uuid);
    if (!status || !String(status.state).match(/^TASK_(FINISHED|FAILED|KILLED|LOST)$/)) return;
    this.finished.push(String(status.taskId));
    while (this.finished.length > this.limits.completedTasksRetainedMax) {
      const oldest = this.finished.shift() as string;
      if (this.opts.runner.forget(oldest, { removeSandbox: true }).ok) this.meta.remove(oldest);
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

function writeAgentId(workDir: string, agentId: string): void {
  const file = path.join(workDir, AGENT_ID_FILE);
  fs.writeFileSync(`${file}.tmp`, agentId);
  fs.renameSync(`${file}.tmp`, file);
}
