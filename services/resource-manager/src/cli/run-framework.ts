// `rmctl run`: a small framework. It subscribes, launches N instances of a command on the offers
// that fit, prints every state change (stderr) and the tasks' output (stdout/stderr, followed
// through the leader), and exits with the task's exit code once every instance has ended. A
// master failover mid-run is ridden out: the driver re-subscribes, rmctl reconciles its tasks and
// picks the output up where it was.
import * as grpc from '@grpc/grpc-js';
import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import type { rmV1 } from '@ensemble/proto';
import { OperatorClient, type LeaderSource } from '../client/operator-client';
import { SchedulerDriver } from '../scheduler/scheduler-driver';
import { exitCodeFor, isTerminalState } from '../task-state';
import { formatStatus } from './format';

export interface RunIo {
  err(text: string): void;
  stdout(data: Buffer): void;
  stderr(data: Buffer): void;
  interrupted: Promise<void>;
}

export interface RunSpec {
  readonly command: string[];
  readonly cpusMilli: number;
  readonly memBytes: number;
  readonly taskName: string;
  readonly instances: number;
  readonly role: string;
  readonly json: boolean;
}

/** After the last task ended, how long output may still drain. */
const OUTPUT_DRAIN_MS = 5000;
/** After Ctrl-C, how long the kills may take before rmctl gives up waiting. */
const KILL_WAIT_MS = 15_000;
/**
 * How long the master keeps the run's tasks when rmctl is gone without tearing down (killed, or
 * cut off): long enough to ride out a master failover, short enough not to leave orphans.
 */
export const RUN_FAILOVER_TIMEOUT_MS = 30_000;
/** Times one output stream is picked up again after its relay broke (a failover, say). */
const OUTPUT_RESUMES_MAX = 20;

export async function runTasks(source: LeaderSource, spec: RunSpec, io: RunIo): Promise<number> {
  // The operator client first: events start flowing as soon as the subscription is answered,
  // and RunState must be listening by then.
  const operator = await OperatorClient.connect(source);
  const frameworkInfo = { name: `rmctl-run:${spec.taskName}`, role: spec.role, user: os.userInfo().username, hostname: os.hostname(), failoverTimeoutMs: RUN_FAILOVER_TIMEOUT_MS };
  let driver: SchedulerDriver;
  try {
    driver = await SchedulerDriver.subscribe({ ...source, master: operator.leaderAddress, frameworkInfo });
  } catch (err) {
    operator.close();
    throw err;
  }
  const run = new RunState(driver, operator, source, spec, io);
  try {
    return await run.wait();
  } finally {
    driver.teardown();
    driver.close();
    operator.close();
  }
}

class RunState {
  private readonly ids: string[];
  private readonly toLaunch: string[];
  private readonly finalStatus = new Map<string, rmV1.TaskStatus__Output>();
  private readonly following = new Set<string>();
  private readonly outputs: Promise<void>[] = [];
  private resolveDone!: (code: number) => void;
  private readonly done = new Promise<number>((resolve) => (this.resolveDone = resolve));

  constructor(
    private readonly driver: SchedulerDriver,
    private readonly operator: OperatorClient,
    private readonly source: LeaderSource,
    private readonly spec: RunSpec,
    private readonly io: RunIo,
  ) {
    const suffix = randomBytes(4).toString('hex');
    this.ids = Array.from({ length: spec.instances }, (_, i) => (spec.instances === 1 ? `${spec.taskName}-${suffix}` : `${spec.taskName}-${suffix}-${i}`));
    this.toLaunch = [...this.ids];
    driver.on('offers', (offers: rmV1.Offer__Output[]) => this.onOffers(offers));
    driver.on('update', (status: rmV1.TaskStatus__Output) => this.onUpdate(status));
    driver.on('callError', (e: rmV1._rm_v1_Event_Error__Output) => io.err(`master refused a call: ${e.code}: ${e.message}`));
    driver.on('disconnected', (reason: string) => io.err(`lost the master (${reason}); re-subscribing`));
    driver.on('subscribed', (e: { masterAddress: string }) => this.onResubscribed(e.masterAddress));
    driver.on('closed', (err?: Error) => {
      if (this.finalStatus.size < this.ids.length) {
        io.err(`lost the connection to the master${err ? `: ${err.message}` : ''}`);
        this.resolveDone(1);
      }
    });
    void io.interrupted.then(() => this.interrupt());
  }

  wait(): Promise<number> {
    return this.done;
  }

  /** After a failover: the latest state of every unfinished task, and offers again if some wait to launch. */
  private onResubscribed(masterAddress: string): void {
    this.io.err(`re-subscribed at ${masterAddress}`);
    const open = this.ids.filter((id) => !this.finalStatus.has(id) && !this.toLaunch.includes(id));
    if (open.length > 0) this.driver.reconcile(open.map((taskId) => ({ taskId })));
    if (this.toLaunch.length > 0) this.driver.revive();
  }

  private onOffers(offers: rmV1.Offer__Output[]): void {
    for (const offer of offers) {
      const tasks: rmV1.TaskInfo[] = [];
      let cpus = Number(offer.resources?.cpusMilli ?? 0);
      let mem = Number(offer.resources?.memBytes ?? 0);
      while (this.toLaunch.length > 0 && cpus >= this.spec.cpusMilli && mem >= this.spec.memBytes) {
        tasks.push(this.taskInfo(this.toLaunch.shift() as string, offer.agentId));
        cpus -= this.spec.cpusMilli;
        mem -= this.spec.memBytes;
      }
      if (tasks.length > 0) this.driver.accept([offer.offerId], tasks);
      else this.driver.decline([offer.offerId], 5);
    }
    if (this.toLaunch.length === 0) this.driver.suppress();
  }

  private taskInfo(taskId: string, agentId: string): rmV1.TaskInfo {
    const command: rmV1.CommandInfo = this.spec.command.length === 1 ? { shell: this.spec.command[0] } : { argv: { args: this.spec.command } };
    return { taskId, name: this.spec.taskName, agentId, resources: { cpusMilli: this.spec.cpusMilli, memBytes: this.spec.memBytes }, command };
  }

  private onUpdate(status: rmV1.TaskStatus__Output): void {
    // Every update is acknowledged, resends included: until then its agent keeps resending it.
    this.driver.acknowledge(status);
    if (!this.ids.includes(status.taskId) || this.finalStatus.has(status.taskId)) return;
    this.io.err(this.spec.json ? JSON.stringify({ taskId: status.taskId, state: status.state, reason: status.reason, exitCode: status.exitCode ?? null, agentId: status.agentId, message: status.message }) : formatStatus(status));
    const ran = status.state === 'TASK_RUNNING' || (isTerminalState(status.state) && status.source === 'SOURCE_EXECUTOR');
    if (ran) this.follow(status.taskId);
    if (!isTerminalState(status.state)) return;
    this.finalStatus.set(status.taskId, status);
    if (this.finalStatus.size === this.ids.length) void this.finish();
  }

  /** Streams the task's stdout and stderr (from the start) until it has ended and all is read. */
  private follow(taskId: string): void {
    if (this.following.has(taskId)) return;
    this.following.add(taskId);
    for (const stream of ['STDOUT', 'STDERR'] as const) this.outputs.push(this.followStream(taskId, stream));
  }

  /** One output stream; when the relay breaks (UNAVAILABLE: a failover), it resumes at the leader from where it was. */
  private async followStream(taskId: string, stream: 'STDOUT' | 'STDERR'): Promise<void> {
    let offset = 0;
    for (let resumes = 0; ; resumes++) {
      // The run may have ended (and closed its clients) while this stream waited to resume.
      if (this.operator.isClosed) return;
      const ended = await new Promise<true | grpc.ServiceError>((resolve) => {
        const call = this.operator.readOutput({ taskId, stream, offset, follow: true });
        call.on('data', (chunk: rmV1.OutputChunk__Output) => {
          if (Number(chunk.offset) + chunk.data.length <= offset) return;
          const data = chunk.data.subarray(Math.max(0, offset - Number(chunk.offset)));
          offset = Number(chunk.offset) + chunk.data.length;
          if (stream === 'STDOUT') this.io.stdout(data);
          else this.io.stderr(data);
        });
        call.on('error', (err: grpc.ServiceError) => resolve(err));
        call.on('end', () => resolve(true));
      });
      if (ended === true) return;
      if (ended.code !== grpc.status.UNAVAILABLE || resumes >= OUTPUT_RESUMES_MAX || this.finalStatus.size === this.ids.length) {
        this.io.err(`cannot read the ${stream.toLowerCase()} of ${taskId}: ${ended.message}`);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 100 * 2 ** Math.min(resumes, 5))));
      await this.operator.refresh(this.source).catch((err: unknown) => this.io.err(`cannot find the leading master: ${(err as Error).message}`));
    }
  }

  private async finish(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(this.outputs), new Promise((resolve) => (timer = setTimeout(resolve, OUTPUT_DRAIN_MS)))]);
    clearTimeout(timer);
    const failed = this.ids.map((id) => this.finalStatus.get(id) as rmV1.TaskStatus__Output).find((s) => exitCodeFor(s.state, s.exitCode) !== 0);
    this.resolveDone(failed ? exitCodeFor(failed.state, failed.exitCode) : 0);
  }

  private interrupt(): void {
    this.io.err('interrupted: killing the tasks');
    this.toLaunch.length = 0;
    for (const id of this.ids) if (!this.finalStatus.has(id)) this.driver.kill(id);
    setTimeout(() => this.resolveDone(130), KILL_WAIT_MS).unref();
  }
}
