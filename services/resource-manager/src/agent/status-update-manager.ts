// The agent's status update manager (Mesos: StatusUpdateManager), the shell around UpdateStreams:
// every update is appended to the task's durable log before it is sent; the head of each task's
// stream is sent (with the task's latest status, for the master's view) and resent with backoff
// until the framework's acknowledgement comes back through the master; an acknowledgement is
// logged before the next update goes. After an agent restart the logs are replayed, so nothing
// is lost and nothing acknowledged is sent again.
import type { Logger } from '@ensemble/common';
import { isTerminalState } from '../task-state';
import { AgentStatus, UpdateLog, replayLog } from './update-log';
import { UpdateStreamLimits, UpdateStreams } from './update-streams';

export interface StatusUpdateManagerOptions {
  readonly workDir: string;
  readonly limits: UpdateStreamLimits;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'debug'>;
  /** Sends one update on the master link; false when there is no registered link. */
  readonly send: (status: AgentStatus, latest: AgentStatus) => boolean;
  /** The task's last update (terminal) was acknowledged. */
  readonly onDone: (taskId: string) => void;
  readonly clock?: () => number;
}

export class StatusUpdateManager {
  private readonly streams: UpdateStreams<AgentStatus>;
  private readonly log: UpdateLog;
  private readonly clock: () => number;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: StatusUpdateManagerOptions) {
    this.streams = new UpdateStreams<AgentStatus>(opts.limits);
    this.log = new UpdateLog(opts.workDir);
    this.clock = opts.clock ?? Date.now;
  }

  /** Replays every task's log (once, before anything else). */
  recover(): void {
    const { logs, invalid } = this.log.readAll();
    for (const { file, message } of invalid) this.opts.logger.warn('status update log not replayed', { file, message });
    for (const [taskId, parsed] of logs) {
      const { updates, acked } = replayLog(parsed.records);
      this.streams.restore(taskId, updates, acked);
      if (parsed.badLines > 0) {
        this.opts.logger.warn('status update log had a torn tail', { taskId, badLines: parsed.badLines });
        this.log.rewrite(taskId, parsed.records);
      }
    }
    if (logs.size > 0) this.opts.logger.info('recovered status updates', { tasks: logs.size, pending: this.streams.totalPending() });
  }

  /** Starts resending heads whose backoff ran out. */
  start(): void {
    const tickMs = Math.max(50, Math.min(1000, Math.floor(this.opts.limits.retryInitialMs / 4)));
    this.timer = setInterval(() => this.resendDue(), tickMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** A new update: logged durably, then sent if it is its task's head. False: it follows a terminal one and was dropped. */
  update(status: AgentStatus): boolean {
    const last = this.streams.latest(status.taskId);
    if (last && isTerminalState(last.state)) {
      this.opts.logger.debug('status update dropped', { taskId: status.taskId, state: status.state, why: `task already ended ${last.state}` });
      return false;
    }
    this.log.append(status.taskId, { update: status });
    const added = this.streams.add(status);
    if (!added.ok) throw new Error(`assertion: ${added.message}`);
    if (added.dropped) this.opts.logger.warn('status update superseded before it was acknowledged', { taskId: status.taskId, uuid: added.dropped.uuid, state: added.dropped.state });
    if (added.head) this.sendHead(status.taskId);
    return true;
  }

  /** The framework acknowledged `uuid` (relayed by the master): logged, then the task's next update goes. */
  acknowledge(taskId: string, uuid: string): void {
    if (this.streams.head(taskId)?.uuid !== uuid) {
      this.opts.logger.debug('stale acknowledgement', { taskId, uuid });
      return;
    }
    this.log.append(taskId, { ack: uuid });
    const acked = this.streams.ack(taskId, uuid);
    if (!acked.ok) throw new Error(`assertion: ${acked.message}`);
    if (acked.next) this.sendHead(taskId);
    if (acked.done) this.opts.onDone(taskId);
  }

  /** After a (re-)registration: every pending head at once, backoffs reset (Mesos: flush on reregistration). */
  resendAll(): void {
    this.streams.resetRetries();
    this.resendDue();
  }

  latest(taskId: string): AgentStatus | undefined {
    return this.streams.latest(taskId);
  }

  pendingCount(taskId: string): number {
    return this.streams.pendingCount(taskId);
  }

  isDone(taskId: string): boolean {
    return this.streams.isDone(taskId);
  }

  taskIds(): string[] {
    return this.streams.taskIds();
  }

  /** Drops a finished task's stream and log (its updates were all acknowledged). */
  forget(taskId: string): void {
    this.streams.remove(taskId);
    this.log.remove(taskId);
  }

  private resendDue(): void {
    for (const head of this.streams.due(this.clock())) this.sendHead(head.taskId);
  }

  private sendHead(taskId: string): void {
    const head = this.streams.head(taskId);
    const latest = this.streams.latest(taskId);
    if (!head || !latest) return;
    if (this.opts.send(head, latest)) this.streams.sent(taskId, this.clock());
  }
}
