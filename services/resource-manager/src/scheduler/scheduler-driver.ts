// A framework's side of the scheduler API (Mesos's scheduler driver, reduced): finds the leading
// master, subscribes (following a standby's redirect), turns events into EventEmitter events and
// calls into methods. Used by `rmctl run`, the integration tests and the launch benchmark.
import { EventEmitter } from 'node:events';
import * as grpc from '@grpc/grpc-js';
import type { rmV1 } from '@ensemble/proto';
import { REDIRECTS_MAX, findLeader, type LeaderSource } from '../client/operator-client';
import { CLIENT_CHANNEL_OPTIONS, loadRmV1 } from '../proto';
import { leaderHint, rmErrorCode } from '../rm-errors';

export interface SchedulerDriverOptions extends LeaderSource {
  readonly frameworkInfo: rmV1.FrameworkInfo;
}

type CallStream = grpc.ClientDuplexStream<rmV1.Call, rmV1.Event__Output>;

/**
 * Listen right after `subscribe` resolves (before awaiting anything else): events are emitted
 * as they arrive. Events: 'offers' (Offer[]), 'rescind' (offerId), 'update' (TaskStatus), 'failure'
 * (Event.Failure), 'callError' (Event.Error: a call the master refused), 'heartbeat',
 * 'closed' (ServiceError | undefined: the stream ended).
 */
export class SchedulerDriver extends EventEmitter {
  private closedFlag = false;

  private constructor(
    private readonly client: rmV1.SchedulerClient,
    private readonly stream: CallStream,
    readonly frameworkId: string,
    readonly masterAddress: string,
  ) {
    super();
    stream.on('data', (event: rmV1.Event__Output) => this.dispatch(event));
    stream.on('error', (err: grpc.ServiceError) => this.finish(err.code === grpc.status.CANCELLED ? undefined : err));
    stream.on('end', () => this.finish(undefined));
  }

  static async subscribe(opts: SchedulerDriverOptions): Promise<SchedulerDriver> {
    let address = await findLeader(opts);
    for (let redirects = 0; ; redirects++) {
      if (!address) throw new Error('no master is leading');
      const attempt = await SchedulerDriver.trySubscribe(address, opts);
      if ('driver' in attempt) return attempt.driver;
      if (!attempt.redirect || redirects >= REDIRECTS_MAX) throw attempt.error;
      address = attempt.redirect;
    }
  }

  private static trySubscribe(address: string, opts: SchedulerDriverOptions): Promise<{ driver: SchedulerDriver } | { error: Error; redirect?: string }> {
    const { Scheduler } = loadRmV1();
    const client = new Scheduler(address, grpc.credentials.createInsecure(), CLIENT_CHANNEL_OPTIONS);
    const stream = client.Subscribe();
    return new Promise((resolve) => {
      const timer = setTimeout(() => fail(new Error(`no SUBSCRIBED from ${address} within ${opts.timeoutMs ?? 10_000}ms`)), opts.timeoutMs ?? 10_000);
      const fail = (error: Error, redirect?: string): void => {
        clearTimeout(timer);
        stream.removeAllListeners();
        stream.on('error', () => undefined); // the cancel below reports CANCELLED: expected
        stream.cancel();
        client.close();
        resolve({ error, ...(redirect ? { redirect } : {}) });
      };
      stream.once('data', (event: rmV1.Event__Output) => {
        if (event.event !== 'subscribed' || !event.subscribed) return fail(new Error(`expected SUBSCRIBED, got ${event.event}: ${event.error?.message ?? ''}`));
        clearTimeout(timer);
        stream.removeAllListeners();
        resolve({ driver: new SchedulerDriver(client, stream, event.subscribed.frameworkId, address) });
      });
      stream.once('error', (err: grpc.ServiceError) => fail(err, rmErrorCode(err) === 'NOT_LEADER' ? leaderHint(err) : undefined));
      stream.write({ subscribe: { frameworkInfo: opts.frameworkInfo } });
    });
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  private dispatch(event: rmV1.Event__Output): void {
    switch (event.event) {
      case 'offers':
        return void this.emit('offers', event.offers?.offers ?? []);
      case 'rescind':
        return void this.emit('rescind', event.rescind?.offerId);
      case 'update':
        return void this.emit('update', event.update?.status);
      case 'failure':
        return void this.emit('failure', event.failure);
      case 'error':
        // Not the EventEmitter 'error' (which throws without a listener): a refused call.
        return void this.emit('callError', event.error);
      case 'heartbeat':
        return void this.emit('heartbeat');
      default:
        return;
    }
  }

  private finish(err: grpc.ServiceError | undefined): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.emit('closed', err);
    this.client.close();
  }

  private call(call: Omit<rmV1.Call, 'frameworkId'>): void {
    if (this.closedFlag) throw new Error('the scheduler stream is closed');
    this.stream.write({ frameworkId: this.frameworkId, ...call });
  }

  accept(offerIds: string[], tasks: rmV1.TaskInfo[], refuseSeconds?: number): void {
    this.call({ accept: { offerIds, operations: [{ launch: { taskInfos: tasks } }], ...(refuseSeconds !== undefined ? { filters: { refuseSeconds } } : {}) } });
  }

  decline(offerIds: string[], refuseSeconds?: number): void {
    this.call({ decline: { offerIds, ...(refuseSeconds !== undefined ? { filters: { refuseSeconds } } : {}) } });
  }

  revive(): void {
    this.call({ revive: {} });
  }

  suppress(): void {
    this.call({ suppress: {} });
  }

  kill(taskId: string, agentId = '', killGracePeriodMs = 0): void {
    this.call({ kill: { taskId, agentId, killGracePeriodMs } });
  }

  acknowledge(status: rmV1.TaskStatus__Output): void {
    if (status.uuid) this.call({ acknowledge: { agentId: status.agentId, taskId: status.taskId, uuid: status.uuid } });
  }

  reconcile(tasks: Array<{ taskId: string; agentId?: string }> = []): void {
    this.call({ reconcile: { tasks } });
  }

  /** Ends the framework: its tasks are killed and it is removed. */
  teardown(): void {
    if (!this.closedFlag) this.call({ teardown: {} });
  }

  /** Leaves the stream (the framework fails over after its failover timeout). */
  close(): void {
    if (this.closedFlag) return;
    this.stream.end();
    this.stream.cancel();
  }
}
