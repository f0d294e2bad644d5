// A framework's side of the scheduler API (Mesos's scheduler driver, reduced): finds the leading
// master, subscribes (following a standby's redirect), turns events into EventEmitter events and
// calls into methods. It stays subscribed by itself: when the stream ends, the master goes quiet
// (no HEARTBEAT for three intervals) or the detector names another leader, it re-subscribes with
// its framework id, with backoff, until the reconnect timeout (by default the framework's own
// failover timeout: after it the master has removed the framework anyway). Used by `rmctl run`,
// the integration tests and the launch benchmark.
import { EventEmitter } from 'node:events';
import * as grpc from '@grpc/grpc-js';
import { CoordClient } from '@ensemble/coord-client';
import type { rmV1 } from '@ensemble/proto';
import { REDIRECTS_MAX, findLeader, type LeaderSource } from '../client/operator-client';
import { LeaderDetector, type MasterNode } from '../leader-detector';
import { CLIENT_CHANNEL_OPTIONS, loadRmV1 } from '../proto';
import { leaderHint, rmErrorCode } from '../rm-errors';

export interface SchedulerDriverOptions extends LeaderSource {
  readonly frameworkInfo: rmV1.FrameworkInfo;
  /** Re-subscribe by itself after a disconnect (default true). */
  readonly reconnect?: boolean;
  /** Give up re-subscribing after this long; default: the framework's failover timeout, at least 10 s. */
  readonly reconnectTimeoutMs?: number;
}

type CallStream = grpc.ClientDuplexStream<rmV1.Call, rmV1.Event__Output>;

interface Subscription {
  readonly client: rmV1.SchedulerClient;
  readonly stream: CallStream;
  readonly frameworkId: string;
  readonly masterAddress: string;
  readonly heartbeatIntervalMs: number;
}

type Attempt = { ok: true; subscription: Subscription } | { ok: false; error: Error; redirect?: string; refused?: string };

/** Refusals that re-subscribing cannot fix: the framework was removed, or its info is invalid. */
const FINAL_REFUSALS = new Set(['UNKNOWN_FRAMEWORK', 'INVALID_ARGUMENT', 'BAD_CALL', 'LIMIT_EXCEEDED']);
const BACKOFF_MS_MAX = 2000;
/** Retry pace against a master that is alive but not (yet) leading. */
const RECOVERING_RETRY_MS = 50;
/** Missed HEARTBEATs before the master counts as gone (the scheduler library's rule of thumb). */
const SILENT_HEARTBEATS_MAX = 3;

/**
 * Listen right after `subscribe` resolves (before awaiting anything else): events are emitted
 * as they arrive. Events: 'offers' (Offer[]), 'rescind' (offerId), 'update' (TaskStatus), 'failure'
 * (Event.Failure), 'callError' (Event.Error: a call the master refused), 'heartbeat',
 * 'disconnected' (reason: string; the driver is re-subscribing), 'subscribed' ({ masterAddress }:
 * re-subscribed after a disconnect — offers from before are void; RECONCILE to be sure of every
 * task), 'closed' (Error | undefined: for good — close(), teardown, or re-subscribing gave up).
 */
export class SchedulerDriver extends EventEmitter {
  private closedFlag = false;
  private tornDown = false;
  private current: Subscription | undefined;
  private reconnecting = false;
  private lastEventMs = Date.now();
  private watchdog: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  /** Aborts an attempt in flight (to a master that may be paused) when the leader changes. */
  private attempt: AbortController | undefined;
  readonly frameworkId: string;
  private address: string;
  private readonly onLeaderChange = (leader: MasterNode | undefined): void => {
    if (!leader || leader.address === this.address || this.closedFlag) return;
    this.attempt?.abort();
    this.wake?.();
    if (this.current) this.drop(`the leading master is now ${leader.address}`);
  };

  private constructor(
    private readonly opts: SchedulerDriverOptions,
    private readonly coord: CoordClient | undefined,
    private readonly detector: LeaderDetector | undefined,
    first: Subscription,
  ) {
    super();
    this.frameworkId = first.frameworkId;
    this.address = first.masterAddress;
    this.attach(first);
    detector?.on('change', this.onLeaderChange);
  }

  static async subscribe(opts: SchedulerDriverOptions): Promise<SchedulerDriver> {
    const follow = opts.reconnect !== false && opts.coord !== undefined;
    const coord = follow ? await CoordClient.connect(opts.coord as string, { connectTimeoutMs: opts.timeoutMs ?? 10_000, sessionTimeoutMs: 10_000 }) : undefined;
    const detector = coord ? new LeaderDetector(coord, opts.coordRoot ?? '/rm') : undefined;
    try {
      await detector?.start();
      const attempt = await subscribeWithRedirects(opts.master ?? detector?.leader?.address ?? (await findLeader(opts)), opts, opts.frameworkInfo, undefined, detector);
      if (!attempt.ok) throw attempt.error;
      return new SchedulerDriver(opts, coord, detector, attempt.subscription);
    } catch (err) {
      detector?.stop();
      await coord?.close();
      throw err;
    }
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** Subscribed right now (false while re-subscribing). */
  get connected(): boolean {
    return this.current !== undefined;
  }

  get masterAddress(): string {
    return this.address;
  }

  private attach(sub: Subscription): void {
    this.current = sub;
    this.address = sub.masterAddress;
    this.lastEventMs = Date.now();
    sub.stream.on('data', (event: rmV1.Event__Output) => {
      this.lastEventMs = Date.now();
      this.dispatch(event);
    });
    sub.stream.on('error', (err: grpc.ServiceError) => this.streamEnded(sub, err.code === grpc.status.CANCELLED ? undefined : err));
    sub.stream.on('end', () => this.streamEnded(sub, undefined));
    // Paused since SUBSCRIBED (trySubscribe): what the master sent right after it was held, not lost.
    sub.stream.resume();
    clearInterval(this.watchdog);
    const intervalMs = sub.heartbeatIntervalMs > 0 ? sub.heartbeatIntervalMs : 15_000;
    this.watchdog = setInterval(() => {
      if (this.current === sub && Date.now() - this.lastEventMs > intervalMs * SILENT_HEARTBEATS_MAX) this.drop(`no event for ${Date.now() - this.lastEventMs}ms`);
    }, intervalMs);
  }

  private streamEnded(sub: Subscription, err: grpc.ServiceError | undefined): void {
    if (this.current !== sub) return;
    this.current = undefined;
    sub.client.close();
    if (this.closedFlag) return;
    if (this.tornDown || this.opts.reconnect === false) return this.finish(err);
    void this.reconnect(err ? `${err.code}: ${err.details}` : 'the master ended the stream');
  }

  /** Leaves the current stream and re-subscribes. */
  private drop(reason: string): void {
    const sub = this.current;
    if (!sub) return;
    this.current = undefined;
    sub.stream.removeAllListeners();
    sub.stream.on('error', () => undefined); // the cancel below reports CANCELLED: expected
    sub.stream.cancel();
    sub.client.close();
    void this.reconnect(reason);
  }

  private async reconnect(reason: string): Promise<void> {
    if (this.reconnecting || this.closedFlag) return;
    this.reconnecting = true;
    this.emit('disconnected', reason);
    const timeoutMs = this.opts.reconnectTimeoutMs ?? Math.max(10_000, Number(this.opts.frameworkInfo.failoverTimeoutMs ?? 0));
    const deadline = Date.now() + timeoutMs;
    const info: rmV1.FrameworkInfo = { ...this.opts.frameworkInfo, frameworkId: this.frameworkId };
    try {
      for (let attempt = 0; !this.closedFlag; attempt++) {
        const start = this.opts.master && !this.detector ? this.opts.master : (this.detector?.leader?.address ?? this.address);
        this.attempt = new AbortController();
        const result = await subscribeWithRedirects(start, this.opts, info, this.attempt.signal, this.detector);
        const aborted = this.attempt.signal.aborted;
        this.attempt = undefined;
        if (this.closedFlag) {
          if (result.ok) cancelQuietly(result.subscription);
          return;
        }
        if (result.ok) {
          this.attach(result.subscription);
          this.emit('subscribed', { masterAddress: result.subscription.masterAddress });
          return;
        }
        if ((result.refused && FINAL_REFUSALS.has(result.refused)) || Date.now() >= deadline) return this.finish(result.error);
        // A master that answers "not leading" without naming a leader is alive and may be the
        // new leader still recovering: ask again soon rather than backing off.
        const recovering = result.refused === 'NOT_LEADER' && !result.redirect;
        if (!aborted) await this.backoff(recovering ? RECOVERING_RETRY_MS : Math.min(BACKOFF_MS_MAX, 100 * 2 ** Math.min(attempt, 5)));
      }
    } finally {
      this.reconnecting = false;
    }
  }

  private backoff(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
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

  private finish(err: Error | undefined): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    clearInterval(this.watchdog);
    this.wake?.();
    this.detector?.off('change', this.onLeaderChange);
    this.detector?.stop();
    void this.coord?.close();
    if (this.current) cancelQuietly(this.current);
    this.current = undefined;
    this.emit('closed', err);
  }

  /** Sends a call; false while re-subscribing (the call is dropped: agents resend updates, RECONCILE after 'subscribed'). */
  private call(call: Omit<rmV1.Call, 'frameworkId'>): boolean {
    if (this.closedFlag) throw new Error('the scheduler stream is closed');
    if (!this.current) return false;
    this.current.stream.write({ frameworkId: this.frameworkId, ...call });
    return true;
  }

  accept(offerIds: string[], tasks: rmV1.TaskInfo[], refuseSeconds?: number): boolean {
    return this.call({ accept: { offerIds, operations: [{ launch: { taskInfos: tasks } }], ...(refuseSeconds !== undefined ? { filters: { refuseSeconds } } : {}) } });
  }

  decline(offerIds: string[], refuseSeconds?: number): boolean {
    return this.call({ decline: { offerIds, ...(refuseSeconds !== undefined ? { filters: { refuseSeconds } } : {}) } });
  }

  revive(): boolean {
    return this.call({ revive: {} });
  }

  suppress(): boolean {
    return this.call({ suppress: {} });
  }

  kill(taskId: string, agentId = '', killGracePeriodMs = 0): boolean {
    return this.call({ kill: { taskId, agentId, killGracePeriodMs } });
  }

  /** Acknowledges an update that carries a uuid (until then its agent resends it). */
  acknowledge(status: rmV1.TaskStatus__Output): boolean {
    if (!status.uuid) return false;
    return this.call({ acknowledge: { agentId: status.agentId, taskId: status.taskId, uuid: status.uuid } });
  }

  reconcile(tasks: Array<{ taskId: string; agentId?: string }> = []): boolean {
    return this.call({ reconcile: { tasks } });
  }

  /** Ends the framework: its tasks are killed and it is removed; the driver does not re-subscribe. */
  teardown(): void {
    if (this.closedFlag) return;
    this.tornDown = true;
    this.call({ teardown: {} });
  }

  /** Leaves for good (the master keeps the framework for its failover timeout). */
  close(): void {
    if (this.closedFlag) return;
    const sub = this.current;
    this.current = undefined;
    if (sub) {
      sub.stream.end();
      cancelQuietly(sub);
    }
    this.finish(undefined);
  }
}

function cancelQuietly(sub: Subscription): void {
  sub.stream.removeAllListeners();
  sub.stream.on('error', () => undefined); // CANCELLED by the line below: expected
  sub.stream.cancel();
  sub.client.close();
}

/**
 * Follows NOT_LEADER redirects. When a redirect leads nowhere (a standby's view of the leader can
 * lag a failover by a moment), the answer is the standby's "not leading": the caller retries soon.
 * With a detector, a redirect that disagrees with it is not followed (LeaderDetector.followable):
 * it would lead to the old leader, which may be paused and would hold the attempt until its timeout.
 */
async function subscribeWithRedirects(address: string | undefined, opts: SchedulerDriverOptions, info: rmV1.FrameworkInfo, signal?: AbortSignal, detector?: LeaderDetector): Promise<Attempt> {
  let redirected: Attempt | undefined;
  for (let redirects = 0; ; redirects++) {
    if (!address) return { ok: false, error: new Error('no master is leading') };
    const attempt = await trySubscribe(address, opts.timeoutMs ?? 10_000, info, signal);
    if (attempt.ok) return attempt;
    if (attempt.redirect && detector && detector.followable(attempt.redirect) === undefined) return { ...attempt, redirect: undefined };
    if (!attempt.redirect || redirects >= REDIRECTS_MAX) return attempt.refused === undefined && redirected && !redirected.ok ? { ...redirected, redirect: undefined } : attempt;
    redirected = attempt;
    address = attempt.redirect;
  }
}

function trySubscribe(address: string, timeoutMs: number, info: rmV1.FrameworkInfo, signal?: AbortSignal): Promise<Attempt> {
  const { Scheduler } = loadRmV1();
  const client = new Scheduler(address, grpc.credentials.createInsecure(), CLIENT_CHANNEL_OPTIONS);
  const stream = client.Subscribe();
  return new Promise((resolve) => {
    const timer = setTimeout(() => fail(new Error(`no SUBSCRIBED from ${address} within ${timeoutMs}ms`)), timeoutMs);
    const onAbort = (): void => fail(new Error(`gave up on ${address}: the leading master changed`));
    signal?.addEventListener('abort', onAbort, { once: true });
    const fail = (error: Error, redirect?: string, refused?: string): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      cancelQuietly({ client, stream, frameworkId: '', masterAddress: address, heartbeatIntervalMs: 0 });
      resolve({ ok: false, error, ...(redirect ? { redirect } : {}), ...(refused ? { refused } : {}) });
    };
    stream.once('data', (event: rmV1.Event__Output) => {
      if (event.event !== 'subscribed' || !event.subscribed) return fail(new Error(`expected SUBSCRIBED, got ${event.event}: ${event.error?.message ?? ''}`), undefined, event.error?.code);
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      // Hold what follows SUBSCRIBED (missed updates, offers) until the driver listens: attach() resumes.
      stream.pause();
      stream.removeAllListeners();
      const s = event.subscribed;
      resolve({ ok: true, subscription: { client, stream, frameworkId: s.frameworkId, masterAddress: address, heartbeatIntervalMs: Number(s.heartbeatIntervalMs) } });
    });
    stream.once('error', (err: grpc.ServiceError) => fail(err, rmErrorCode(err) === 'NOT_LEADER' ? leaderHint(err) : undefined, rmErrorCode(err)));
    stream.write({ subscribe: { frameworkInfo: info } });
  });
}
