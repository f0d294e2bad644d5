// The coordination server's state machine shell: the data tree, the watches, the sessions and
// the commit log, and how a client's request runs against them. Transport-free: the gRPC
// handlers (session-stream.ts, unary-service.ts) call into it.
import { randomBytes } from 'node:crypto';
import type { coordV1 } from '@ensemble/proto';
import type { Logger } from 'winston';
import type { Limits } from '../limits';
import type { DataTree } from '../tree/data-tree';
import { WatchManager } from '../tree/watch-manager';
import type { ErrorCode, Txn, TxnOp, ApplyOutcome } from '../tree/types';
import type { CommitLog, Done } from './commit-log';
import { ERROR_MESSAGES, RequestError, checkPath, toTxnOp, writeResultToResponse } from './request-codec';
import { SessionTracker } from './session-tracker';
import type { CoordMetrics } from './metrics';

/** A connected client's stream, as the coordinator sees it. */
export interface SessionSink {
  sendEvent(event: coordV1.WatchEvent): void;
  /** The session ended (closed, expired, or moved to another connection). */
  end(reason: ErrorCode): void;
  /** Drops the connection without ending the session: the client reconnects and resumes it. */
  drop(reason: string): void;
}

export interface CoordinatorOptions {
  serverId: number;
  limits: Limits;
  minSessionTimeoutMs: number;
  maxSessionTimeoutMs: number;
  tickMs: number;
  /** How many container/TTL nodes the reaper deletes per tick at most. */
  reapBatch: number;
  clock: () => number;
  logger: Logger;
  metrics?: CoordMetrics;
}

export type SessionGrant = { sessionId: number; password: Buffer; timeoutMs: number };

/**
 * Session passwords (16 random bytes each) cut from one CSPRNG block at a time: a call into the
 * generator per 256 sessions instead of one per session.
 */
export class PasswordSource {
  private block = Buffer.alloc(0);
  private offset = 0;

  next(): Buffer {
    if (this.offset + PASSWORD_BYTES > this.block.length) {
      this.block = randomBytes(PASSWORD_BYTES * 256);
      this.offset = 0;
    }
    const password = Buffer.from(this.block.subarray(this.offset, this.offset + PASSWORD_BYTES));
    this.offset += PASSWORD_BYTES;
    return password;
  }
}

const PASSWORD_BYTES = 16;

export class Coordinator {
  readonly tracker: SessionTracker;
  /** Replaced as a whole when a server installs a leader's snapshot. */
  tree: DataTree;
  watches: WatchManager;
  private log!: CommitLog;
  private readonly sinks = new Map<number, SessionSink>();
  private readonly closing = new Set<number>();
  private readonly reaping = new Set<string>();
  private sessionCounter = 0;
  private readonly passwords = new PasswordSource();

  constructor(
    tree: DataTree,
    watches: WatchManager,
    private readonly opts: CoordinatorOptions,
  ) {
    this.tree = tree;
    this.watches = watches;
    this.tracker = new SessionTracker(opts.tickMs, opts.clock());
  }

  /** Wires the commit log and starts tracking the sessions recovered from disk. */
  attachLog(log: CommitLog): void {
    this.log = log;
    const now = this.opts.clock();
    for (const [id, s] of this.tree.sessions()) this.tracker.add(id, s.timeoutMs, now);
  }

  get lastZxid(): number {
    return this.tree.lastZxid;
  }

  // ---- applying committed transactions (every server, in zxid order) ----

  readonly apply = (txn: Txn): ApplyOutcome => {
    const outcome = this.tree.apply(txn);
    const op = txn.op;
    if (op.type === 'createSession') {
      this.tracker.add(op.sessionId, op.timeoutMs, this.opts.clock());
    } else if (op.type === 'closeSession') {
      // A client closes its own session (the txn is its); the server expires it (session 0).
      const byClient = txn.sessionId === op.sessionId && !this.closing.has(op.sessionId);
      this.endSession(op.sessionId, byClient ? 'OK' : 'SESSION_EXPIRED');
    } else if (op.type === 'reap') {
      this.reaping.delete(op.path);
    }
    for (const ev of this.watches.trigger(outcome.triggers)) {
      this.sinks.get(ev.sessionId)?.sendEvent({ type: ev.type, path: ev.path, zxid: ev.zxid });
    }
    this.opts.metrics?.applied(txn, outcome);
    return outcome;
  };

  private endSession(sessionId: number, reason: ErrorCode): void {
    this.tracker.remove(sessionId);
    this.watches.removeSession(sessionId);
    this.closing.delete(sessionId);
    const sink = this.sinks.get(sessionId);
    this.sinks.delete(sessionId);
    sink?.end(reason);
  }

  // ---- sessions ----

  negotiateTimeout(requestedMs: number): number {
    const { minSessionTimeoutMs: min, maxSessionTimeoutMs: max } = this.opts;
    if (!(requestedMs > 0)) return min;
    return Math.min(max, Math.max(min, Math.floor(requestedMs)));
  }

  createSession(requestedTimeoutMs: number, done: (grant: SessionGrant | { error: ErrorCode; message: string }) => void): void {
    if (this.tracker.size >= this.opts.limits.maxSessions) {
      done({ error: 'TOO_MANY_SESSIONS', message: `the server holds ${this.tracker.size} sessions, the limit` });
      return;
    }
    const sessionId = this.nextSessionId();
    const password = this.passwords.next();
    const timeoutMs = this.negotiateTimeout(requestedTimeoutMs);
    this.propose(0, { type: 'createSession', sessionId, timeoutMs, password }, (r) => {
      if (!r.ok) done({ error: r.code, message: r.message });
      else if (!r.outcome.result.ok) done({ error: r.outcome.result.code, message: 'session could not be created' });
      else done({ sessionId, password, timeoutMs });
    });
  }

  /** Session ids: server id in the top bits, then time, then a counter (ZooKeeper's scheme, within 2^53). */
  private nextSessionId(): number {
    this.sessionCounter = (this.sessionCounter + 1) % 2 ** 16;
    const timePart = Math.floor(this.opts.clock() / 1000) % 2 ** 28;
    return (this.opts.serverId % 2 ** 8) * 2 ** 44 + timePart * 2 ** 16 + this.sessionCounter;
  }

  /** Checks a resume request: the session must be live and the password must match. */
  checkResume(sessionId: number, password: Buffer): { ok: true; timeoutMs: number } | { ok: false; code: ErrorCode } {
    const s = this.tree.session(sessionId);
    if (!s || this.closing.has(sessionId) || !this.tracker.has(sessionId)) return { ok: false, code: 'SESSION_EXPIRED' };
    if (!password || !s.password.equals(password)) return { ok: false, code: 'AUTH_FAILED' };
    return { ok: true, timeoutMs: s.timeoutMs };
  }

  /** Routes the session's events to `sink`; a previous connection of the session is told it moved. */
  attach(sessionId: number, sink: SessionSink): void {
    const old = this.sinks.get(sessionId);
    this.sinks.set(sessionId, sink);
    if (old && old !== sink) old.end('SESSION_MOVED');
    this.touch(sessionId);
  }

  detach(sessionId: number, sink: SessionSink): void {
    if (this.sinks.get(sessionId) === sink) this.sinks.delete(sessionId);
  }

  isLive(sessionId: number): boolean {
    return this.tracker.has(sessionId) && !this.closing.has(sessionId);
  }

  touch(sessionId: number): boolean {
    this.log?.noteSessionActivity?.(sessionId);
    return this.tracker.touch(sessionId, this.opts.clock());
  }

  /** Sessions that showed life on another server of the ensemble (the leader hears of them). */
  touchFromPeer(sessionIds: readonly number[]): void {
    const now = this.opts.clock();
    for (const id of sessionIds) this.tracker.touch(id, now);
  }

  /** The client closes its session; the transaction is issued in the session's name. */
  closeSession(sessionId: number, done?: () => void): void {
    if (!this.tree.hasSession(sessionId)) {
      done?.();
      return;
    }
    this.propose(sessionId, { type: 'closeSession', sessionId }, () => done?.());
  }

  get connectedSessions(): number {
    return this.sinks.size;
  }

  /** Whether this server takes client connections now (an ensemble member cut off does not). */
  get servesClients(): boolean {
    return this.log?.servesClients ?? true;
  }

  /**
   * This server lost contact with the quorum: its clients are disconnected (their sessions live
   * on) so they resume on a server that can still serve them before their sessions expire —
   * ZooKeeper's followers close their client connections when they lose the leader.
   */
  dropClients(reason: string): void {
    const sinks = [...this.sinks.values()];
    this.sinks.clear();
    for (const sink of sinks) sink.drop(reason);
  }

  // ---- periodic work ----

  /** Expires silent sessions and reaps empty containers and expired TTL nodes (only where this server leads). */
  tick(): void {
    if (!this.log?.leads) return;
    const now = this.opts.clock();
    const expired = this.tracker.tick(now) ? this.tracker.expire(now) : [];
    for (const sessionId of expired) {
      if (this.closing.has(sessionId) || !this.tree.hasSession(sessionId)) continue;
      this.closing.add(sessionId);
      this.opts.logger.info('session expired', { sessionId });
      this.propose(0, { type: 'closeSession', sessionId }, (r) => {
        if (r.ok) return;
        // Not applied (or unknown): watch the session again; a new leader re-arms every session anyway.
        this.closing.delete(sessionId);
        this.tracker.touch(sessionId, this.opts.clock());
      });
    }
    for (const path of this.tree.reapCandidates(now, this.opts.reapBatch)) {
      if (this.reaping.has(path)) continue;
      this.reaping.add(path);
      this.propose(0, { type: 'reap', path }, (r) => {
        if (!r.ok) this.reaping.delete(path);
      });
    }
  }

  /**
   * This server became the leader. ZooKeeper: a new leader starts every session's timeout
   * afresh, since it cannot know when the old leader last heard from each client.
   */
  onLeadershipGained(): void {
    this.closing.clear();
    this.reaping.clear();
    const now = this.opts.clock();
    this.tracker.reset(now, [...this.tree.sessions()].map(([id, s]) => ({ sessionId: id, timeoutMs: s.timeoutMs })));
  }

  /** Expiries and reaps this server proposed may never apply: forget them. */
  onLeadershipLost(): void {
    this.closing.clear();
    this.reaping.clear();
  }

  /**
   * The whole state was replaced (a leader's snapshot was installed). Watches registered here
   * may have missed events that the snapshot covers, so every connection is dropped: clients
   * resume their sessions and re-register their watches with the last zxid they saw, and the
   * missed events fire then (ZooKeeper: setWatches on reconnect).
   */
  replaceState(tree: DataTree): void {
    this.tree = tree;
    this.watches = new WatchManager({ maxWatchesPerSession: this.opts.limits.maxWatchesPerSession });
    this.closing.clear();
    this.reaping.clear();
    const now = this.opts.clock();
    this.tracker.reset(now, [...tree.sessions()].map(([id, s]) => ({ sessionId: id, timeoutMs: s.timeoutMs })));
    this.dropClients('server state replaced by a snapshot');
  }

  private propose(sessionId: number, op: TxnOp, done?: Done): void {
    this.log.propose(sessionId, op, done);
  }

  // ---- requests ----

  /** True when the request changes state and goes through the commit log. */
  static isWrite(req: coordV1.Request__Output): boolean {
    return req.op === 'create' || req.op === 'delete' || req.op === 'setData' || req.op === 'multi';
  }

  /** Runs a write; `reply` is called once it is applied (or at once on a static error). */
  executeWrite(sessionId: number, req: coordV1.Request__Output, reply: (resp: coordV1.Response) => void): void {
    let op: TxnOp | null;
    try {
      op = toTxnOp(req, this.opts.limits);
    } catch (err) {
      reply(this.errorResponse(req, err));
      return;
    }
    if (!op) {
      reply(this.errorResponse(req, new RequestError('BAD_ARGUMENTS', 'request has no operation')));
      return;
    }
    if (!this.log.canPropose) {
      reply({ xid: req.xid, zxid: this.lastZxid, error: 'NOT_LEADER', errorMessage: 'this server cannot order writes now' });
      return;
    }
    this.propose(sessionId, op, (r) => {
      if (!r.ok) {
        reply({ xid: req.xid, zxid: this.lastZxid, error: r.code, errorMessage: r.message });
        return;
      }
      const resp: coordV1.Response = { xid: req.xid, zxid: r.txn.zxid, error: 'OK' };
      writeResultToResponse(r.outcome.result, resp);
      if (resp.error !== 'OK') resp.errorMessage = ERROR_MESSAGES[resp.error as ErrorCode] ?? '';
      reply(resp);
    });
  }

  /**
   * True when the request must first wait for this server to catch up with the leader's commit
   * point: `sync`, and reads flagged linearizable. Never on a standalone server, which is
   * always caught up.
   */
  needsBarrier(req: coordV1.Request__Output): boolean {
    if (!this.log?.readBarrier) return false;
    switch (req.op) {
      case 'sync':
        return true;
      case 'getData':
        return !!req.getData?.linearizable;
      case 'exists':
        return !!req.exists?.linearizable;
      case 'getChildren':
        return !!req.getChildren?.linearizable;
      default:
        return false;
    }
  }

  /** Runs `req` once this server has applied everything committed before now (read-index). */
  executeAfterBarrier(sessionId: number, req: coordV1.Request__Output, reply: (resp: coordV1.Response) => void): void {
    this.log.readBarrier!((r) => {
      if (!r.ok) reply({ xid: req.xid, zxid: this.lastZxid, error: r.code, errorMessage: r.message });
      else reply(this.executeLocal(sessionId, req));
    });
  }

  /** Runs a read or a watch operation against the current state, synchronously. */
  executeLocal(sessionId: number, req: coordV1.Request__Output): coordV1.Response {
    const resp: coordV1.Response = { xid: req.xid, zxid: this.lastZxid, error: 'OK' };
    try {
      const code = this.runLocal(sessionId, req, resp);
      if (code !== 'OK') {
        resp.error = code;
        resp.errorMessage = ERROR_MESSAGES[code] ?? '';
      }
    } catch (err) {
      return this.errorResponse(req, err);
    }
    return resp;
  }

  private runLocal(sessionId: number, req: coordV1.Request__Output, resp: coordV1.Response): ErrorCode {
    const limits = this.opts.limits;
    const watches = this.watches;
    const needWatch = (flag: boolean): boolean => {
      if (flag && sessionId === 0) throw new RequestError('BAD_ARGUMENTS', 'watches need a session stream');
      return flag;
    };
    switch (req.op) {
      case 'exists': {
        const path = checkPath(req.exists!.path, limits);
        const stat = this.tree.exists(path);
        if (needWatch(req.exists!.watch)) {
          const r = stat ? watches.addDataWatch(sessionId, path) : watches.addExistWatch(sessionId, path);
          if (!r.ok) return r.code;
        }
        resp.exists = stat ? { stat } : {};
        return 'OK';
      }
      case 'getData': {
        const path = checkPath(req.getData!.path, limits);
        const r = this.tree.getData(path);
        if (!r.ok) return r.code;
        if (needWatch(req.getData!.watch)) {
          const w = watches.addDataWatch(sessionId, path);
          if (!w.ok) return w.code;
        }
        resp.getData = { data: r.data, stat: r.stat };
        return 'OK';
      }
      case 'getChildren': {
        const q = req.getChildren!;
        const path = checkPath(q.path, limits);
        const limit = q.limit > 0 ? Math.min(q.limit, limits.maxChildrenPerResponse) : 0;
        const r = this.tree.getChildren(path, q.startAfter, limit);
        if (!r.ok) return r.code;
        if (limit === 0 && r.children.length > limits.maxChildrenPerResponse) {
          throw new RequestError('TOO_LARGE', `${r.children.length} children: ask for pages with limit`);
        }
        if (needWatch(q.watch)) {
          const w = watches.addChildWatch(sessionId, path);
          if (!w.ok) return w.code;
        }
        resp.getChildren = { children: r.children, stat: r.stat, nextStartAfter: r.nextStartAfter };
        return 'OK';
      }
      case 'getEphemerals': {
        const prefix = req.getEphemerals!.prefix || '/';
        if (!prefix.startsWith('/')) throw new RequestError('INVALID_PATH', 'prefix must start with /');
        resp.getEphemerals = { paths: this.tree.getEphemerals(sessionId, prefix) };
        return 'OK';
      }
      case 'getAllChildrenNumber': {
        const r = this.tree.getAllChildrenNumber(checkPath(req.getAllChildrenNumber!.path, limits));
        if (!r.ok) return r.code;
        resp.getAllChildrenNumber = { totalNumber: r.count };
        return 'OK';
      }
      case 'sync':
        // Standalone: every committed write is already applied here; an ensemble member ran
        // the read barrier before this (needsBarrier).
        resp.sync = { path: checkPath(req.sync!.path, limits) };
        return 'OK';
      case 'addWatch': {
        const path = checkPath(req.addWatch!.path, limits);
        needWatch(true);
        const r = watches.addPersistent(sessionId, path, req.addWatch!.mode === 'PERSISTENT_RECURSIVE_WATCH');
        if (!r.ok) return r.code;
        resp.addWatch = {};
        return 'OK';
      }
      case 'removeWatches': {
        const path = checkPath(req.removeWatches!.path, limits);
        const r = watches.removeWatches(sessionId, path, req.removeWatches!.type);
        if (!r.ok) return r.code;
        resp.removeWatches = {};
        return 'OK';
      }
      case 'setWatches': {
        needWatch(true);
        const q = req.setWatches!;
        const all = [q.dataWatches, q.existWatches, q.childWatches, q.persistentWatches, q.persistentRecursiveWatches];
        for (const list of all) for (const p of list) checkPath(p, limits);
        const r = watches.setWatches(sessionId, q, this.tree);
        if (!r.ok) return r.code;
        const sink = this.sinks.get(sessionId);
        // The missed events go out before the response, as ZooKeeper does.
        for (const ev of r.events) sink?.sendEvent({ type: ev.type, path: ev.path, zxid: ev.zxid });
        resp.setWatches = {};
        return 'OK';
      }
      default:
        throw new RequestError('BAD_ARGUMENTS', `unsupported request ${String(req.op)}`);
    }
  }

  errorResponse(req: { xid: number }, err: unknown): coordV1.Response {
    if (err instanceof RequestError) {
      return { xid: req.xid, zxid: this.lastZxid, error: err.code, errorMessage: err.message };
    }
    throw err;
  }
}
