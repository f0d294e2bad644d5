// `rmctl run`: a small framework. It subscribes, launches N instances of a command on the offers
// that fit, prints every state change (stderr) and the tasks' output (stdout/stderr, followed
// through the leader), and exits with the task's exit code once every instance has ended.
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

export async function runTasks(source: LeaderSource, spec: RunSpec, io: RunIo): Promise<number> {
  // The operator client first: events start flowing as soon as the subscription is answered,
  // and RunState must be listening by then.
  const operator = await OperatorClient.connect(source);
  const frameworkInfo = { name: `rmctl-run:${spec.taskName}`, role: spec.role, user: os.userInfo().username, hostname: os.hostname(), failoverTimeoutMs: 0 };
  let driver: SchedulerDriver;
  try {
    driver = await SchedulerDriver.subscribe({ ...source, master: operator.leaderAddress, frameworkInfo });
  } catch (err) {
    operator.close();
    throw err;
  }
  const run = new RunState(driver, operator, spec, io);
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
    private readonly spec: RunSpec,
    private readonly io: RunIo,
  ) {
    const suffix = randomBytes(4).toString('hex');
    this.ids = Array.from({ length: spec.instances }, (_, i) => (spec.instances === 1 ? `${spec.taskName}-${suffix}` : `${spec.taskName}-${suffix}-${i}`));
    this.toLaunch = [...this.ids];
    driver.on('offers', (offers: rmV1.Offer__Output[]) => this.onOffers(offers));
    driver.on('update', (status: rmV1.TaskStatus__Output) => this.onUpdate(status));
    driver.on('callError', (e: rmV1._rm_v1_Event_Error__Output) => io.err(`master refused a call: ${e.code}: ${e.message}`));
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
    if (!this.ids.includes(status.taskId) || this.finalStatus.has(status.taskId)) return;
    this.io.err(this.spec.json ? JSON.stringify({ taskId: status.taskId, state: status.state, reason: status.reason, exitCode: status.exitCode ?? null, agentId: status.agentId, message: status.message }) : formatStatus(status));
    this.driver.acknowledge(status);
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
    for (const stream of ['STDOUT', 'STDERR'] as const) {
      this.outputs.push(
        new Promise<void>((resolve) => {
          const call = this.operator.readOutput({ taskId, stream, offset: 0, follow: true });
          call.on('data', (chunk: rmV1.OutputChunk__Output) => (stream === 'STDOUT' ? this.io.stdout(chunk.data) : this.io.stderr(chunk.data)));
          call.on('error', (err: Error) => {
            this.io.err(`cannot read the ${stream.toLowerCase()} of ${taskId}: ${err.message}`);
            resolve();
          });
          call.on('end', () => resolve());
        }),
      );
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
