// The agent's connection to the leading master: finds it with the detector, opens the AgentLink
// stream, registers, heartbeats, and starts over (following a standby's redirect, or after a
// backoff) whenever the stream ends, the master goes silent, REGISTERED does not come in time,
// or the detector names another leader (a failover: go there at once, Mesos's agent does the same).
import { EventEmitter } from 'node:events';
import * as grpc from '@grpc/grpc-js';
import type { Logger } from '@ensemble/common';
import type { rmV1 } from '@ensemble/proto';
import type { LeaderDetector, MasterNode } from '../leader-detector';
import { CLIENT_CHANNEL_OPTIONS, loadRmV1 } from '../proto';
import { leaderHint, rmErrorCode } from '../rm-errors';

export interface MasterLinkOptions {
  readonly detector: LeaderDetector;
  readonly logger: Logger;
  /** The REGISTER message, made fresh for every connection. */
  readonly register: () => rmV1.Register;
  readonly backoffMsMax?: number;
  /** Missed heartbeat answers before the master counts as gone. */
  readonly silentHeartbeatsMax?: number;
  /** A master that has not answered REGISTER within this long is given up on (it may be paused). */
  readonly registerTimeoutMs?: number;
}

type LinkStream = grpc.ClientDuplexStream<rmV1.AgentMessage, rmV1.MasterMessage__Output>;

/** Retry pace against a master that is alive but not (yet) leading. */
const RECOVERING_RETRY_MS = 100;

/** Events: 'registered' (Registered), 'message' (MasterMessage), 'disconnected'. */
export class MasterLink extends EventEmitter {
  private stream: LinkStream | undefined;
  private client: rmV1.AgentLinkClient | undefined;
  private registered = false;
  private stopped = false;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private lastAckMs = 0;
  private masterAddress: string | undefined;
  /** Ends the current stream early, moving to `redirect`. */
  private abort: ((redirect?: string) => void) | undefined;
  /** Cuts the backoff between attempts short. */
  private wake: (() => void) | undefined;
  private readonly onLeaderChange = (leader: MasterNode | undefined): void => {
    if (!leader || leader.address === this.masterAddress) return;
    this.opts.logger.info('leading master changed', { from: this.masterAddress ?? null, to: leader.address });
    this.abort?.(leader.address);
    this.wake?.();
  };

  constructor(private readonly opts: MasterLinkOptions) {
    super();
  }

  get connected(): boolean {
    return this.registered;
  }

  get master(): string | undefined {
    return this.registered ? this.masterAddress : undefined;
  }

  start(): void {
    this.opts.detector.on('change', this.onLeaderChange);
    void this.loop();
  }

  stop(): void {
    this.stopped = true;
    this.opts.detector.off('change', this.onLeaderChange);
    this.wake?.();
    this.teardown();
  }

  /** Sends on the registered stream; false when there is none (the caller keeps what matters). */
  send(message: rmV1.AgentMessage): boolean {
    if (!this.registered || !this.stream) return false;
    this.stream.write(message);
    return true;
  }

  private async loop(): Promise<void> {
    let hint: string | undefined;
    for (let failures = 0; !this.stopped; ) {
      const redirected = hint !== undefined;
      const address = hint ?? (await this.findLeader());
      if (address === undefined) continue;
      const outcome = await this.runStream(address);
      hint = this.opts.detector.followable(outcome.redirect);
      failures = outcome.registered ? 0 : failures + 1;
      // A master that answered "not leading" without a redirect may be the new leader recovering,
      // and a redirect that led nowhere came from a standby whose view lags a failover: ask again soon.
      const waitMs = outcome.notLeader || (redirected && !outcome.registered) ? RECOVERING_RETRY_MS : Math.min(this.opts.backoffMsMax ?? 2000, 100 * 2 ** Math.min(failures, 5));
      if (!hint && !this.stopped) await this.backoff(waitMs);
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

  private async findLeader(): Promise<string | undefined> {
    try {
      return await this.opts.detector.waitForLeader(5000);
    } catch (err) {
      this.opts.logger.warn('no leading master yet', { err: (err as Error).message });
      return undefined;
    }
  }

  /** One stream's life: resolves when it ends, with where to go next. */
  private runStream(address: string): Promise<{ registered: boolean; redirect?: string; notLeader?: boolean }> {
    const { AgentLink } = loadRmV1();
    this.masterAddress = address;
    this.client = new AgentLink(address, grpc.credentials.createInsecure(), CLIENT_CHANNEL_OPTIONS);
    const stream = this.client.Connect();
    this.stream = stream;
    let wasRegistered = false;
    return new Promise((resolve) => {
      const registerTimer = setTimeout(() => {
        this.opts.logger.warn('master did not answer REGISTER', { master: address, timeoutMs: this.opts.registerTimeoutMs ?? 10_000 });
        done();
      }, this.opts.registerTimeoutMs ?? 10_000);
      const done = (redirect?: string, notLeader = false): void => {
        clearTimeout(registerTimer);
        if (this.stream !== stream) return;
        this.abort = undefined;
        this.teardown();
        if (wasRegistered) this.emit('disconnected');
        resolve({ registered: wasRegistered, ...(redirect ? { redirect } : {}), ...(notLeader ? { notLeader } : {}) });
      };
      this.abort = done;
      stream.on('data', (msg: rmV1.MasterMessage__Output) => {
        this.lastAckMs = Date.now();
        if (msg.message === 'registered' && msg.registered) {
          clearTimeout(registerTimer);
          wasRegistered = true;
          this.registered = true;
          this.startHeartbeats(Number(msg.registered.heartbeatIntervalMs) || 1000);
          this.opts.logger.info('registered with master', { master: address, agentId: msg.registered.agentId });
          this.emit('registered', msg.registered);
        } else if (msg.message !== 'heartbeatAck') {
          this.emit('message', msg);
        }
      });
      stream.on('error', (err: grpc.ServiceError) => {
        const notLeader = rmErrorCode(err) === 'NOT_LEADER';
        const redirect = notLeader ? leaderHint(err) : undefined;
        if (!this.stopped) this.opts.logger.info('master link ended', { master: address, code: err.code, details: err.details, redirect });
        done(redirect, notLeader);
      });
      stream.on('end', () => done());
      // The leader may have changed between the detector's answer and this stream.
      const current = this.opts.detector.leader?.address;
      if (current && current !== address) return done(current);
      stream.write({ register: this.opts.register() });
    });
  }

  private startHeartbeats(intervalMs: number): void {
    clearInterval(this.heartbeatTimer);
    this.lastAckMs = Date.now();
    const silentMax = this.opts.silentHeartbeatsMax ?? 5;
    this.heartbeatTimer = setInterval(() => {
      if (Date.now() - this.lastAckMs > intervalMs * silentMax) {
        this.opts.logger.warn('master went silent', { master: this.masterAddress });
        this.stream?.cancel();
        return;
      }
      this.stream?.write({ heartbeat: { sentAtMs: Date.now() } });
    }, intervalMs);
  }

  private teardown(): void {
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
    this.registered = false;
    const stream = this.stream;
    this.stream = undefined;
    stream?.cancel();
    this.client?.close();
    this.client = undefined;
  }
}

