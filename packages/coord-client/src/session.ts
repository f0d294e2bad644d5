// The session engine: one Session stream at a time, the connect handshake, reconnect and resume,
// request/response matching, pings, and expiry. Modelled on ZooKeeper's ClientCnxn.
import type { coordV1 } from '@ensemble/proto';
import { acquireChannel, releaseChannel, type Channel } from './channel-pool';
import { formatAddress, type ServerAddress } from './connect-string';
import { CoordError, type ErrorCodeName } from './errors';
import { CLOSE_GRACE_MS, CLOSE_TIMEOUT_MS_MAX, LIVENESS_TICK_MS_MIN } from './limits';
import { backoffDelayMs, type RetryPolicy } from './retry-policy';
import { openSessionCall } from './session-call';
import { StreamConnection } from './stream-connection';
import type { ClientLogger, ClientState } from './types';

/** A request without its xid: exactly one op field set, e.g. `{ getData: { path } }`. */
export type RequestBody = Omit<coordV1.Request, 'xid'>;
export type Reply = coordV1.Response__Output;

interface Pending {
  body: RequestBody;
  xid: number;
  path?: string;
  resolve(reply: Reply): void;
  reject(err: CoordError): void;
  /** Runs synchronously when the reply arrives, before any later message is handled. */
  onReply?: (reply: Reply) => void;
}

export interface SessionHooks {
  onState(state: ClientState): void;
  /** After a (re)connect, before queued requests are sent: the place to re-register watches. */
  onHandshake(resumed: boolean): void;
  onEvent(event: coordV1.WatchEvent__Output): void;
}

export interface SessionOptions {
  servers: ServerAddress[];
  sessionTimeoutMs: number;
  connectTimeoutMs: number;
  retry: RetryPolicy;
  maxOutstandingRequests: number;
  random: () => number;
  logger: ClientLogger;
}

type AttemptOutcome = 'connected' | 'failed' | 'ended';

export class SessionEngine {
  state: ClientState = 'connecting';
  sessionId = 0;
  timeoutMs: number;
  lastZxidSeen = 0;
  serverId = '';
  private password: Buffer = Buffer.alloc(0);
  private nextXid = 1;
  private conn: StreamConnection | null = null;
  private handshake: ((outcome: AttemptOutcome, reason?: string) => void) | null = null;
  private readonly inflight: Pending[] = [];
  private readonly waiting: Pending[] = [];
  private lastRecvMs = 0;
  private lastSendMs = 0;
  private lastPingMs = 0;
  private serverIndex = 0;
  private livenessTimer: NodeJS.Timeout | null = null;
  private wakeSleep: (() => void) | null = null;
  private hold: Promise<void> | null = null;
  private closeWaiter: (() => void) | null = null;
  private closing: Promise<void> | null = null;
  private readonly settledWaiters: (() => void)[] = [];
  private readonly channels = new Map<string, Channel>();

  constructor(private readonly opts: SessionOptions, private readonly hooks: SessionHooks) {
    this.timeoutMs = opts.sessionTimeoutMs;
  }

  /** Runs the first connect; resolves once a session is established. */
  async start(): Promise<void> {
    const deadlineMs = Date.now() + this.opts.connectTimeoutMs;
    const ok = await this.connectLoop(() => deadlineMs);
    if (ok) return;
    const expired = this.state === 'expired';
    this.teardown(expired ? 'expired' : 'closed', expired ? 'SESSION_EXPIRED' : 'CONNECTION_LOSS', 'connect failed');
    throw new CoordError(expired ? 'SESSION_EXPIRED' : 'CONNECTION_LOSS', {
      detail: `no server of ${this.opts.servers.map(formatAddress).join(',')} answered within ${this.opts.connectTimeoutMs} ms`,
    });
  }

  /** Sends a request (or queues it while disconnected); resolves with the reply, whatever its error. */
  submit(body: RequestBody, path?: string, onReply?: (reply: Reply) => void): Promise<Reply> {
    return new Promise<Reply>((resolve, reject) => {
      const refusal = this.refusal();
      if (refusal) return reject(refusal);
      const pending: Pending = { body, xid: 0, path, resolve, reject, onReply };
      if (this.state === 'connected' && this.conn) this.send(pending, this.conn);
      else this.waiting.push(pending);
    });
  }

  private refusal(): CoordError | null {
    if (this.state === 'expired') return new CoordError('SESSION_EXPIRED', { detail: 'session expired' });
    if (this.state === 'closed' || this.closing) return new CoordError('SESSION_EXPIRED', { detail: 'client is closed' });
    const outstanding = this.inflight.length + this.waiting.length;
    if (outstanding >= this.opts.maxOutstandingRequests) {
      return new CoordError('THROTTLED_OP', { detail: `${outstanding} requests outstanding (maxOutstandingRequests)` });
    }
    return null;
  }

  private send(pending: Pending, conn: StreamConnection): void {
    pending.xid = this.nextXid++;
    this.inflight.push(pending);
    // xid first: an object spread first and then given a property is one that V8's property
    // loads cannot cache a miss for, and the encoder looks up every one of the request's
    // absent oneof members (4.0 instead of 0.8 us to encode a setData request).
    this.write(conn, { request: { xid: pending.xid, ...pending.body } });
  }

  private write(conn: StreamConnection, msg: coordV1.ClientMessage): void {
    if (conn.send(msg)) this.lastSendMs = Date.now();
  }

  /**
   * Closes the session: the server deletes its ephemerals and answers `ended`. While
   * disconnected it first waits (briefly) for a reconnect, so the close still reaches the server
   * (ZooKeeper: close() queues closeSession like any request).
   */
  close(): Promise<void> {
    if (this.state === 'closed' || this.state === 'expired') return Promise.resolve();
    this.closing ??= this.runClose();
    return this.closing;
  }

  private async runClose(): Promise<void> {
    const waitMs = Math.min(this.timeoutMs, CLOSE_TIMEOUT_MS_MAX);
    if (this.state !== 'connected') await this.untilSettled(waitMs);
    const conn = this.conn;
    if (this.state === 'connected' && conn) {
      let ended = false;
      const confirmed = new Promise<void>((resolve) => (this.closeWaiter = () => {
        ended = this.conn === conn;
        resolve();
      }));
      this.write(conn, { close: {} });
      await this.withTimeout(confirmed, waitMs);
      // The server answered `ended` and finishes the call itself.
      if (ended) conn.finish(CLOSE_GRACE_MS);
    }
    this.teardown('closed', 'SESSION_EXPIRED', 'client is closed');
  }

  /** Resolves when connected or ended, or after `ms`. */
  private untilSettled(ms: number): Promise<void> {
    return this.withTimeout(new Promise<void>((resolve) => this.settledWaiters.push(resolve)), ms);
  }

  private async withTimeout(promise: Promise<void>, ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }

  private notifySettled(): void {
    for (const resolve of this.settledWaiters.splice(0)) resolve();
  }

  /**
   * Test hook: fails the current stream as a network fault would. With `hold`, the client stays
   * disconnected until the returned function is called (or the session expires).
   */
  dropConnection(opts: { hold?: boolean } = {}): () => void {
    let release: () => void = () => undefined;
    if (opts.hold) {
      this.hold = new Promise<void>((resolve) => (release = () => {
        this.hold = null;
        resolve();
        this.wakeSleep?.();
      }));
    }
    // A reconnect attempt in flight fails too, so that it cannot connect past a hold.
    if (this.handshake) this.handshake('failed', 'dropped by test hook');
    else if (this.conn && this.state === 'connected') this.onConnectionLost(this.conn, 'dropped by test hook');
    return release;
  }

  // ---- connecting ----

  /** Tries servers in order until one accepts, the session ends, or the deadline passes. */
  private async connectLoop(deadlineMs: () => number): Promise<boolean> {
    let round = 0;
    for (;;) {
      if (this.state !== 'connecting' && this.state !== 'disconnected') return this.state === 'connected';
      if (this.hold) await this.sleepUntil(deadlineMs(), this.hold);
      if (this.state !== 'connecting' && this.state !== 'disconnected') return this.state === 'connected';
      const leftMs = deadlineMs() - Date.now();
      if (leftMs <= 0) return false;
      const server = this.opts.servers[this.serverIndex];
      const outcome = await this.attempt(server, Math.min(leftMs, this.attemptTimeoutMs()));
      if (outcome === 'connected') return true;
      if (outcome === 'ended') return false;
      this.serverIndex = (this.serverIndex + 1) % this.opts.servers.length;
      if (this.serverIndex === 0) {
        round++;
        const delayMs = backoffDelayMs(this.opts.retry, round, this.opts.random);
        await this.sleepUntil(Math.min(deadlineMs(), Date.now() + delayMs));
      }
    }
  }

  // ZooKeeper: connectTimeout = sessionTimeout / number of servers, so a full round fits in one timeout.
  private attemptTimeoutMs(): number {
    return Math.max(250, Math.floor(this.timeoutMs / this.opts.servers.length));
  }

  private attempt(server: ServerAddress, timeoutMs: number): Promise<AttemptOutcome> {
    const address = formatAddress(server);
    const conn = new StreamConnection(address, openSessionCall(this.channel(address)), {
      onMessage: (c, msg) => this.onMessage(c, msg),
      onClosed: (c, reason) => this.onConnectionLost(c, reason),
    });
    this.conn = conn;
    return new Promise<AttemptOutcome>((resolve) => {
      const timer = setTimeout(() => finish('failed', 'handshake timed out'), timeoutMs);
      const finish = (outcome: AttemptOutcome, reason?: string): void => {
        clearTimeout(timer);
        this.handshake = null;
        if (outcome === 'failed') {
          conn.cancel();
          if (this.conn === conn) this.conn = null;
          this.opts.logger.debug('connect attempt failed', { server: address, reason });
        }
        resolve(outcome);
      };
      this.handshake = finish;
      this.write(conn, {
        connect: {
          sessionId: this.sessionId, password: this.password, timeoutMs: this.opts.sessionTimeoutMs,
          lastZxidSeen: this.lastZxidSeen, readOnly: false, acceptsBatches: true,
        },
      });
    });
  }

  private channel(address: string): Channel {
    let channel = this.channels.get(address);
    if (!channel) {
      channel = acquireChannel(address);
      this.channels.set(address, channel);
    }
    return channel;
  }

  private onHandshakeMessage(conn: StreamConnection, msg: coordV1.ServerMessage__Output): void {
    const finish = this.handshake;
    if (!finish) return;
    if (msg.kind === 'connected' && msg.connected) {
      const resumed = this.sessionId !== 0;
      if (resumed && msg.connected.sessionId !== this.sessionId) {
        // ZooKeeper: a resume answered with another session id means the old one is gone.
        finish('ended');
        return this.expire('server answered with another session');
      }
      this.adopt(conn, msg.connected);
      finish('connected');
      this.afterConnect(conn, resumed);
    } else if (msg.kind === 'ended' && msg.ended?.reason !== 'SESSION_MOVED') {
      finish('ended');
      this.onEnded(conn, msg.ended?.reason ?? 'SESSION_EXPIRED');
    } else {
      finish('failed', `expected connected, got ${msg.kind}`);
    }
  }

  private adopt(conn: StreamConnection, res: coordV1.ConnectResponse__Output): void {
    if (res.acceptsBatches) conn.enableBatching();
    this.sessionId = res.sessionId;
    this.password = Buffer.from(res.password);
    this.timeoutMs = res.timeoutMs > 0 ? res.timeoutMs : this.timeoutMs;
    this.serverId = res.serverId;
    this.lastRecvMs = Date.now();
    this.state = 'connected';
    this.opts.logger.info('session connected', {
      server: conn.server, sessionId: this.sessionId, timeoutMs: this.timeoutMs, serverId: this.serverId,
    });
  }

  // Order matters: watches re-registered first, then queued requests in their order, and only
  // then listeners hear 'connected' (anything they send goes after the queue: FIFO).
  private afterConnect(conn: StreamConnection, resumed: boolean): void {
    this.hooks.onHandshake(resumed);
    while (this.waiting.length > 0 && this.conn === conn && this.state === 'connected') {
      this.send(this.waiting.shift() as Pending, conn);
    }
    this.startLiveness();
    if (this.state === 'connected') this.hooks.onState('connected');
    this.notifySettled();
  }

  // ---- the open stream ----

  private onMessage(conn: StreamConnection, msg: coordV1.ServerMessage__Output): void {
    if (conn !== this.conn) return;
    this.lastRecvMs = Date.now();
    if (this.handshake) return this.onHandshakeMessage(conn, msg);
    switch (msg.kind) {
      case 'response':
        if (msg.response) this.onReply(conn, msg.response);
        break;
      case 'event':
        if (msg.event) {
          this.seeZxid(msg.event.zxid);
          this.hooks.onEvent(msg.event);
        }
        break;
      case 'pong':
        this.seeZxid(msg.pong?.zxid ?? 0);
        break;
      case 'ended':
        this.onEnded(conn, msg.ended?.reason ?? 'SESSION_EXPIRED');
        break;
      default:
        this.onConnectionLost(conn, `unexpected ${msg.kind} on an open stream`);
    }
  }

  private onReply(conn: StreamConnection, reply: Reply): void {
    const head = this.inflight[0];
    // ZooKeeper: ClientCnxn.readResponse — replies come in xid order; anything else is a broken
    // connection ("Xid out of order"), so the client drops it and reconnects.
    if (!head || head.xid !== reply.xid) {
      this.opts.logger.warn('xid out of order', { expected: head?.xid, got: reply.xid });
      return this.onConnectionLost(conn, 'xid out of order');
    }
    this.inflight.shift();
    this.seeZxid(reply.zxid);
    head.onReply?.(reply);
    head.resolve(reply);
  }

  private seeZxid(zxid: number): void {
    if (zxid > this.lastZxidSeen) this.lastZxidSeen = zxid;
  }

  private onEnded(conn: StreamConnection, reason: ErrorCodeName): void {
    if (this.closeWaiter) {
      this.closeWaiter();
      return;
    }
    // ZooKeeper: SessionMoved means another connection of this session took over; the session
    // itself lives, so this is only a lost connection.
    if (reason === 'SESSION_MOVED') return this.onConnectionLost(conn, 'session moved to another connection');
    if (reason === 'OK') this.teardown('closed', 'SESSION_EXPIRED', 'session closed by the server');
    else this.expire(`server ended the session (${reason})`);
  }

  private onConnectionLost(conn: StreamConnection, reason: string): void {
    if (conn !== this.conn) return;
    conn.cancel();
    this.conn = null;
    if (this.handshake) return this.handshake('failed', reason);
    if (this.closeWaiter) return this.closeWaiter();
    if (this.state !== 'connected') return;
    this.state = 'disconnected';
    this.stopLiveness();
    this.opts.logger.info('connection lost', { server: conn.server, sessionId: this.sessionId, reason });
    // ZooKeeper: requests in flight fail with ConnectionLoss — they may or may not have applied.
    this.failAll(this.inflight, 'CONNECTION_LOSS', `connection lost: ${reason}`);
    this.hooks.onState('disconnected');
    this.serverIndex = (this.serverIndex + 1) % this.opts.servers.length;
    void this.reconnect();
  }

  private async reconnect(): Promise<void> {
    const ok = await this.connectLoop(() => this.lastRecvMs + this.timeoutMs);
    if (!ok && this.state === 'disconnected') this.expire(`no server reachable within the session timeout (${this.timeoutMs} ms)`);
  }

  // ---- pings and liveness ----

  // ZooKeeper: ClientCnxn pings when nothing was sent for a while, and treats a server silent for
  // two thirds of the session timeout (its read timeout) as gone.
  private startLiveness(): void {
    this.stopLiveness();
    const tickMs = Math.max(LIVENESS_TICK_MS_MIN, Math.floor(this.timeoutMs / 6));
    this.livenessTimer = setInterval(() => this.checkLiveness(), tickMs);
  }

  private stopLiveness(): void {
    if (this.livenessTimer) clearInterval(this.livenessTimer);
    this.livenessTimer = null;
  }

  private checkLiveness(): void {
    const conn = this.conn;
    if (this.state !== 'connected' || !conn) return;
    const nowMs = Date.now();
    if (nowMs - this.lastRecvMs > (this.timeoutMs * 2) / 3) {
      return this.onConnectionLost(conn, `no message from the server for ${nowMs - this.lastRecvMs} ms`);
    }
    // Also ping when the server has been quiet for a while (a slow write ahead of us): the
    // server answers pings at once, which keeps the read timeout from firing on a live server.
    const idle = nowMs - this.lastSendMs >= this.timeoutMs / 3;
    const quiet = nowMs - this.lastRecvMs >= this.timeoutMs / 3 && nowMs - this.lastPingMs >= this.timeoutMs / 3;
    if (idle || quiet) {
      this.lastPingMs = nowMs;
      this.write(conn, { ping: {} });
    }
  }

  // ---- the end ----

  private expire(reason: string): void {
    if (this.state === 'expired' || this.state === 'closed') return;
    this.opts.logger.info('session expired', { sessionId: this.sessionId, reason });
    this.teardown('expired', 'SESSION_EXPIRED', reason);
  }

  private teardown(state: 'expired' | 'closed', code: ErrorCodeName, reason: string): void {
    if (this.state === 'expired' || this.state === 'closed') return;
    this.state = state;
    this.stopLiveness();
    this.handshake?.('failed', reason);
    this.conn?.cancel();
    this.conn = null;
    this.failAll(this.inflight, code, reason);
    this.failAll(this.waiting, code, reason);
    this.wakeSleep?.();
    for (const channel of this.channels.values()) releaseChannel(channel);
    this.channels.clear();
    this.hooks.onState(state);
    this.notifySettled();
  }

  private failAll(queue: Pending[], code: ErrorCodeName, detail: string): void {
    const failed = queue.splice(0, queue.length);
    for (const p of failed) p.reject(new CoordError(code, { path: p.path, detail }));
  }

  /** Sleeps until `untilMs`, or until `hold` resolves, or until woken by a state change. */
  private sleepUntil(untilMs: number, hold?: Promise<void>): Promise<void> {
    const ms = Math.max(0, untilMs - Date.now());
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeSleep = () => {
        this.wakeSleep = null;
        done();
      };
      void hold?.then(done);
    });
  }
}
