// The ensemble's commit log (DESIGN.md §1 "Replication"): a write proposed on any server is
// appended by the leader — directly when this server leads, else forwarded on the peer stream —
// committed by a majority, applied on every server in log order, and answered by the server
// that proposed it, which recognises its own entries by (origin, incarnation, request id).
//
// ZooKeeper's rules kept here: when the leader changes (or the link to it breaks) while a write
// is in flight, the write fails with CONNECTION_LOSS — its outcome is unknown, and nothing is
// ever resent, so nothing is applied twice. Writes made while no leader is known wait (in
// order) for one, for a bounded time. Only the leader decides session expiry; the others
// forward the sessions their clients touched. `sync` and linearizable reads wait for a
// read index (Raft thesis §6.4).
import { randomInt } from 'node:crypto';
import type { Entry, Message, Ready, Snapshot } from '@ensemble/consensus';
import type { Logger } from 'winston';
import type { ApplyOutcome, ErrorCode, Txn, TxnOp } from '../tree/types';
import { encodeTxn } from '../tree/txn-codec';
import type { Applier, BarrierResult, CommitLog, Done } from '../server/commit-log';
import { AppendDeferral } from './append-deferral';
import { decodeEnvelope, encodeEnvelope, txnOfEntry } from './entry-envelope';
import { PEER_FEATURES, type PeerItem } from './peer-codec';
import type { PeerTransport, PeerTransportEvents } from './peer-transport';
import { RaftDriver, type RaftDriverOptions } from './raft-driver';
import { ReadBarrier } from './read-barrier';

/** What the log needs from the state machine's owner (the Coordinator). */
export interface ReplicatedLogHooks {
  apply: Applier;
  lastZxid(): number;
  serializeState(): Promise<Buffer>;
  restoreState(snapshotData: Uint8Array): void;
  onLeadershipGained(): void;
  onLeadershipLost(): void;
  /** This server has been out of contact with a leader for contactTimeoutMs. */
  onContactLost(): void;
  /** The leader, the term or the contact with the quorum changed: inQuorum may have too. */
  onQuorumChange(): void;
  touchSessions(sessionIds: readonly number[]): void;
  onFatal(err: Error): void;
}

export interface ReplicatedLogOptions extends Omit<RaftDriverOptions, 'hooks'> {
  serverId: number;
  transport: PeerTransport;
  hooks: ReplicatedLogHooks;
  clock: () => number;
  logger: Logger;
  /** How long a write waits for a leader before failing with CONNECTION_LOSS. */
  leaderWaitMs: number;
  /** How long a sync or linearizable read waits; a read-index request is repeated every readRetryMs. */
  readTimeoutMs: number;
  readRetryMs: number;
  /** Writes waiting for a leader or for their commit; more fail with THROTTLED_OP. */
  pendingWritesMax: number;
  /**
   * Without a leader that hears this server for this long, it drops its clients and refuses
   * new ones (ZooKeeper: a follower that loses its leader closes client connections).
   */
  contactTimeoutMs: number;
  /** The core's election timeout, in ticks (randomized up to twice this). */
  electionTicks: number;
  /** How long a leader may hold an append back from a follower no quorum needs (0: never). */
  spareAppendDelayMs: number;
}

interface Waiting {
  requestId: number;
  txn: Buffer;
  done?: Done;
  sinceMs: number;
  /** The server the write went to (this one when it leads); 0 while it waits for a leader. */
  via: number;
}

export class ReplicatedLog implements CommitLog, PeerTransportEvents {
  readonly driver: RaftDriver;
  private readonly deferral: AppendDeferral;
  private readonly incarnation = randomInt(1, 2 ** 31);
  private requestCounter = 0;
  private readonly inflight = new Map<number, Waiting>();
  private queued: Waiting[] = [];
  private readonly touched = new Set<number>();
  /** Leader side: followers whose touch is answered with the next heartbeats. */
  private readonly touchAnswers = new Set<number>();
  /** Leader side: the newest forwarded request per origin, so a late, stale one is never appended. */
  private readonly lastForwarded = new Map<number, { incarnation: number; requestId: number }>();
  private readonly barrier: ReadBarrier;
  private role = 'follower';
  private leaderId = 0;
  private term = 0;
  /** Leader side: the commit index last hinted to each follower (commit hints, see peer-codec). */
  private readonly hinted = new Map<number, number>();
  /** The leader has applied an entry of its own term, so its state machine is current. */
  private leaderReady = false;
  private failed: Error | null = null;
  /** Last time this server knew a leader that hears it (itself, or a reply from the leader). */
  private lastContactMs: number;
  private contactLost = false;

  constructor(private readonly opts: ReplicatedLogOptions) {
    this.lastContactMs = opts.clock();
    const { transport } = opts;
    this.deferral = new AppendDeferral({
      selfId: opts.serverId,
      voters: opts.voters,
      delayMs: opts.spareAppendDelayMs,
      isUp: (peer) => transport.isUp(peer),
      release: (peer, messages) => {
        for (const message of messages) transport.send(peer, { kind: 'raft', message });
      },
      flush: () => transport.flush(),
      setTimer: (fn, ms) => {
        const timer = setTimeout(fn, ms);
        return () => clearTimeout(timer);
      },
    });
    this.driver = new RaftDriver({
      ...opts,
      deferral: this.deferral,
      hooks: {
        restoreSnapshot: (s) => this.restoreSnapshot(s),
        applyEntry: (e) => this.applyEntry(e),
        serializeState: () => opts.hooks.serializeState(),
        beforeApply: () => this.announceCommit(),
        afterReady: (rd) => this.afterReady(rd),
        afterApply: () => this.barrier.release(this.driver.appliedIndex),
        onFatal: (err) => this.fail(err),
      },
    });
    this.barrier = new ReadBarrier({
      retryMs: opts.readRetryMs,
      timeoutMs: opts.readTimeoutMs,
      waitersMax: opts.pendingWritesMax,
      ctxPrefix: String(this.incarnation),
    });
    this.term = this.driver.node.term;
  }

  // ---- CommitLog ----

  get lastZxid(): number {
    return this.opts.hooks.lastZxid();
  }

  get canPropose(): boolean {
    return this.failed === null;
  }

  get leads(): boolean {
    return this.failed === null && this.role === 'leader' && this.leaderReady;
  }

  get servesClients(): boolean {
    return !this.contactLost;
  }

  /** Part of a quorum with a known leader that hears this server (gRPC health, readiness). */
  get inQuorum(): boolean {
    if (this.failed) return false;
    if (this.role === 'leader') return true;
    return this.leaderId !== 0 && this.opts.clock() - this.lastContactMs < this.opts.contactTimeoutMs;
  }

  propose(sessionId: number, op: TxnOp, done?: Done): void {
    if (this.failed) {
      done?.({ ok: false, code: 'SYSTEM_ERROR', message: this.failed.message });
      return;
    }
    if (this.inflight.size + this.queued.length >= this.opts.pendingWritesMax) {
      done?.({ ok: false, code: 'THROTTLED_OP', message: `${this.opts.pendingWritesMax} writes pending on this server` });
      return;
    }
    this.requestCounter += 1;
    const txn = encodeTxn({ zxid: 0, timeMs: 0, sessionId, op });
    const w: Waiting = { requestId: this.requestCounter, txn, done, sinceMs: this.opts.clock(), via: 0 };
    // FIFO: nothing overtakes a write already waiting for a leader.
    if (this.queued.length > 0 || !this.dispatch(w)) this.queued.push(w);
  }

  readBarrier(done: (result: BarrierResult) => void): void {
    if (!this.barrier.add(done, this.opts.clock())) {
      done({ ok: false, code: 'THROTTLED_OP', message: 'too many syncs and linearizable reads waiting' });
      return;
    }
    this.requestReadIndex();
  }

  noteSessionActivity(sessionId: number): void {
    if (this.role !== 'leader') this.touched.add(sessionId);
  }

  async close(): Promise<void> {
    await this.driver.stop();
    this.deferral.releaseAll();
    this.failAll('CONNECTION_LOSS', 'server shutting down');
  }

  // ---- status ----

  get pendingWrites(): number {
    return this.inflight.size + this.queued.length;
  }

  // ---- periodic ----

  /** Every Raft tick: the core's clock, deadlines, answers to the touches of followers. */
  tick(): void {
    if (this.failed) return;
    this.driver.tick();
    const now = this.opts.clock();
    this.barrier.expire(now);
    this.requestReadIndex();
    this.expireQueued(now);
    // Queued now, they leave in the frames of the heartbeats this tick makes.
    for (const peer of this.touchAnswers) this.answerTouch(peer);
    this.touchAnswers.clear();
    this.checkContact(now);
  }

  private checkContact(now: number): void {
    if (this.role === 'leader') this.lastContactMs = now; // check-quorum makes a cut-off leader step down
    const lost = now - this.lastContactMs >= this.opts.contactTimeoutMs;
    if (lost === this.contactLost) return;
    this.contactLost = lost;
    if (lost) {
      this.opts.logger.warn('lost contact with the quorum; dropping clients', { leaderId: this.leaderId, term: this.term });
      // Writes forwarded to a leader that does not answer may never be: their outcome is unknown.
      this.failInflight('lost contact with the leader');
      this.opts.hooks.onContactLost();
    } else {
      this.opts.logger.info('back in contact with the quorum', { leaderId: this.leaderId, term: this.term });
    }
    this.opts.hooks.onQuorumChange();
  }

  // ---- proposals ----

  /** Appends or forwards `w` now if a leader is reachable; false when it must wait. */
  private dispatch(w: Waiting): boolean {
    if (this.role === 'leader') {
      const env = encodeEnvelope({ origin: this.opts.serverId, incarnation: this.incarnation, requestId: w.requestId, timeMs: this.opts.clock(), txn: w.txn });
      const r = this.driver.node.propose(env);
      if (!r.ok) {
        if (r.code === 'NOT_LEADER' || r.code === 'LEADERSHIP_TRANSFER_IN_PROGRESS') return false;
        w.done?.({ ok: false, code: proposeFailureCode(r.code), message: `leader refused the write: ${r.code}` });
        return true;
      }
      this.deferral.proposed(r.index, this.opts.serverId);
      w.via = this.opts.serverId;
      this.inflight.set(w.requestId, w);
      this.driver.schedule();
      return true;
    }
    if (!this.linkToLeaderUp()) return false;
    w.via = this.leaderId;
    this.inflight.set(w.requestId, w);
    this.opts.transport.send(this.leaderId, { kind: 'forward', incarnation: this.incarnation, requestId: w.requestId, txn: w.txn });
    return true;
  }

  private drainQueued(): void {
    while (this.queued.length > 0 && this.dispatch(this.queued[0])) this.queued.shift();
  }

  private expireQueued(now: number): void {
    while (this.queued.length > 0 && now - this.queued[0].sinceMs >= this.opts.leaderWaitMs) {
      const w = this.queued.shift()!;
      // Never sent anywhere, so certainly not applied; the client sees it as a lost connection.
      w.done?.({ ok: false, code: 'CONNECTION_LOSS', message: `no leader within ${this.opts.leaderWaitMs} ms` });
    }
  }

  private linkToLeaderUp(): boolean {
    return this.leaderId !== 0 && this.leaderId !== this.opts.serverId && this.opts.transport.isUp(this.leaderId);
  }

  /** The outcome of every write in flight is unknown now: fail them (ZooKeeper: ConnectionLoss). */
  private failInflight(reason: string, via?: number): void {
    for (const [id, w] of this.inflight) {
      if (via !== undefined && w.via !== via) continue;
      this.inflight.delete(id);
      w.done?.({ ok: false, code: 'CONNECTION_LOSS', message: reason });
    }
  }

  /** A forwarded write that never left this server: certainly not applied. */
  private failUnsent(requestId: number): void {
    const w = this.inflight.get(requestId);
    if (!w) return;
    this.inflight.delete(requestId);
    w.done?.({ ok: false, code: 'CONNECTION_LOSS', message: 'the write could not be sent to the leader' });
  }

  private failAll(code: ErrorCode, reason: string): void {
    this.failInflight(reason);
    const queued = this.queued;
    this.queued = [];
    for (const w of queued) w.done?.({ ok: false, code, message: reason });
    this.barrier.failAll(code, reason);
  }

  // ---- reads ----

  private requestReadIndex(): void {
    for (;;) {
      const ctx = this.barrier.nextRequest(this.opts.clock());
      if (ctx === null) return;
      const r = this.driver.node.readIndex(ctx);
      if (!r.ok) {
        this.barrier.requestFailed(ctx); // no leader now: asked again on a later tick
        return;
      }
      this.driver.schedule();
    }
  }

  // ---- applying (RaftDriver hooks) ----

  private applyEntry(entry: Entry): void {
    if (entry.term === this.term && this.role === 'leader') this.leaderReady = true;
    if (entry.type !== 'normal') return; // noop and config entries change nothing in the tree
    const env = decodeEnvelope(entry.data);
    const txn: Txn = txnOfEntry(env, entry.term, entry.index);
    const outcome: ApplyOutcome = this.opts.hooks.apply(txn);
    if (env.origin !== this.opts.serverId || env.incarnation !== this.incarnation) return;
    const w = this.inflight.get(env.requestId);
    if (!w) return; // failed earlier with CONNECTION_LOSS: its client was told the outcome is unknown
    this.inflight.delete(env.requestId);
    w.done?.({ ok: true, txn, outcome });
  }

  private restoreSnapshot(snapshot: Snapshot): void {
    this.opts.logger.info('installing snapshot from the leader', { index: snapshot.index, term: snapshot.term, bytes: snapshot.data.length });
    this.opts.hooks.restoreState(snapshot.data);
    // Entries of ours the snapshot covers were never applied one by one: their answers are lost.
    this.failInflight('state replaced by a snapshot');
  }

  private afterReady(rd: Ready): void {
    for (const rs of rd.readStates) this.barrier.onAnswer(rs.ctx, rs.index);
    this.barrier.release(this.driver.appliedIndex);
    const node = this.driver.node;
    const role = node.role;
    const leaderId = node.leaderId;
    const term = node.term;
    const quorumChanged = leaderId !== this.leaderId || term !== this.term || role !== this.role;
    if (leaderId !== this.leaderId || term !== this.term) {
      // Writes in flight went to this term's leader, which may yet commit them: only a new term
      // makes their outcome unknown. Losing sight of the leader within the term (a pre-vote that
      // fails, a leader stepping down) is not enough; the contact timeout bounds the wait.
      if (term !== this.term && this.inflight.size > 0) this.failInflight(`leader changed to ${leaderId || 'none'} in term ${term}`);
      if (leaderId !== this.leaderId) this.opts.logger.info('leader changed', { leaderId, term, role });
      this.leaderId = leaderId;
      this.term = term;
      this.lastForwarded.clear();
    }
    if (role !== this.role) this.onRoleChange(role);
    if (quorumChanged) this.opts.hooks.onQuorumChange();
    if (this.queued.length > 0) this.drainQueued();
  }

  private onRoleChange(role: string): void {
    const was = this.role;
    this.role = role;
    if (role === 'leader') {
      this.leaderReady = false;
      this.touched.clear();
      this.hinted.clear();
      this.touchAnswers.clear();
      this.opts.logger.info('became leader', { term: this.term });
      this.opts.hooks.onLeadershipGained();
    } else if (was === 'leader') {
      this.deferral.releaseAll();
      this.opts.logger.info('stepped down', { term: this.term, role });
      this.opts.hooks.onLeadershipLost();
    }
  }

  private fail(err: Error): void {
    if (this.failed) return;
    this.failed = err;
    this.failAll('SYSTEM_ERROR', err.message);
    this.opts.hooks.onFatal(err);
  }

  // ---- PeerTransportEvents ----

  onItems(from: number, items: PeerItem[]): void {
    let raft = false;
    let heartbeat = false;
    for (const item of items) {
      switch (item.kind) {
        case 'raft':
          this.driver.step(from, this.screen(from, item.message));
          raft = true;
          heartbeat ||= item.message.type === 'heartbeat';
          break;
        case 'forward':
          this.onForward(from, item.incarnation, item.requestId, item.txn);
          break;
        case 'reject':
          this.onReject(item.incarnation, item.requestId, item.code);
          break;
        case 'touch':
          if (this.role === 'leader') {
            this.opts.hooks.touchSessions(item.sessionIds);
            this.touchAnswers.add(from);
          }
          break;
        case 'commit':
          // Only the current term's leader may say what is committed in this server's log.
          if (item.term === this.driver.node.term && from === this.driver.node.leaderId) {
            this.lastContactMs = this.opts.clock();
            this.driver.applyCommitted(item.index);
          }
          break;
      }
    }
    if (raft) {
      this.announceCommit();
      this.driver.applyCommitted();
    }
    if (heartbeat) this.touchLeader(from);
  }

  /**
   * Answers each heartbeat with the sessions this server's clients touched since the last one
   * (or none, as a ping); the touch leaves in the frame of the heartbeat's answer, and the
   * leader's reply, with its next heartbeats, proves it hears this server. One frame each way
   * per tick instead of two.
   */
  private touchLeader(from: number): void {
    const node = this.driver.node;
    if (node.role === 'leader' || node.leaderId !== from) return;
    this.opts.transport.send(from, { kind: 'touch', sessionIds: [...this.touched] });
    this.touched.clear();
  }

  /** The leader answers a follower's touch with a commit hint: proof that it hears the follower. */
  private answerTouch(from: number): void {
    const node = this.driver.node;
    const pr = node.peerStatus(from); // a leader's view only
    if (!pr) return;
    this.opts.transport.send(from, { kind: 'commit', term: node.term, index: Math.min(node.commitIndex, pr.match) });
  }

  /**
   * A leader tells its followers what is committed before it applies it: a follower's client
   * waits for the hint, while the leader's own clients are answered at the end of the turn
   * anyway. Both ways a commit moves need it: an acknowledgement from a follower (onItems) and
   * the leader's own log write finishing last (a Ready hands out the entries it committed).
   */
  private announceCommit(): void {
    if (this.driver.node.role === 'leader' && this.hintCommit()) this.opts.transport.flush();
  }

  /**
   * Tells each follower the commit index up to what it is known to hold (its match index): the
   * same value a heartbeat would carry (Raft: commit = min(match, committed)), sent as soon as
   * the leader learns it rather than with its next append, which waits for the leader's fsync.
   */
  private hintCommit(): boolean {
    const node = this.driver.node;
    if (node.role !== 'leader') return false;
    let sent = false;
    for (const peer of node.voters) {
      const pr = node.peerStatus(peer);
      if (!pr) continue; // this server
      const index = Math.min(node.commitIndex, pr.match);
      // A follower told that the leader's log is on disk that far commits it by itself.
      const told = this.opts.transport.supports(peer, PEER_FEATURES.persisted) ? pr.persistedSent : 0;
      if (index <= Math.max(this.hinted.get(peer) ?? 0, told) || !this.opts.transport.isUp(peer)) continue;
      this.hinted.set(peer, index);
      this.opts.transport.send(peer, { kind: 'commit', term: node.term, index });
      sent = true;
    }
    return sent;
  }

  onLinkChange(peer: number, up: boolean): void {
    if (up) {
      if (peer === this.leaderId) this.drainQueued();
      return;
    }
    this.driver.node.reportUnreachable(peer);
    this.driver.schedule();
    if (peer !== this.leaderId) return;
    // Forwarded writes may or may not have reached the leader before the link broke.
    this.failInflight(`link to leader ${peer} broke`, peer);
    // The connection to the leader was reset: its process most likely died. Rather than wait for
    // a whole election timeout of silence, count it as passed; the randomized part still
    // separates candidates (Raft §5.2), and pre-vote plus the other followers' leases keep a
    // live leader from being deposed by a follower that merely lost its link (thesis §9.6, §4.2.3).
    if (this.role === 'follower') this.driver.fastForward(this.opts.electionTicks);
  }

  onDropped(peer: number, items: PeerItem[]): void {
    let raft = false;
    for (const item of items) {
      if (item.kind === 'forward') this.failUnsent(item.requestId);
      if (item.kind !== 'raft') continue;
      raft = true;
      if (item.message.type === 'snapshot') this.driver.node.reportSnapshot(peer, false);
    }
    if (raft) {
      this.driver.node.reportUnreachable(peer);
      this.driver.schedule();
    }
  }

  onSnapshotSent(peer: number, ok: boolean): void {
    this.driver.node.reportSnapshot(peer, ok);
    this.driver.schedule();
  }

  /**
   * Guards against a peer whose data directory was wiped. Raft takes acknowledged entries to be
   * durable forever; a member that lost them is told to commit entries it no longer has (the
   * leader still believes it holds them) and is offered entries after the lost ones. Here the
   * commit index of a heartbeat is capped at what this server holds (it learns the rest with the
   * entries), and a leader that sees a follower's log end below what it acknowledged sends it a
   * snapshot. ZooKeeper handles the same case by syncing every follower on (re)connect.
   */
  private screen(from: number, m: Message): Message {
    if (m.type === 'heartbeat') {
      const last = this.driver.node.lastIndex();
      if (m.commit > last) return { ...m, commit: last };
      return m;
    }
    if (m.type === 'appendResponse' && m.reject && this.role === 'leader') {
      const pr = this.driver.node.status().progress.get(from);
      if (pr && m.rejectHint < pr.match && this.driver.snapshotForLostFollower()) {
        this.opts.logger.warn('follower lost acknowledged entries; sending it a snapshot', { peer: from, had: pr.match, has: m.rejectHint });
      }
    }
    return m;
  }

  /** Leader side of forwarding: stamp the time and append, or tell the origin it failed. */
  private onForward(from: number, incarnation: number, requestId: number, txn: Buffer): void {
    const reject = (code: ErrorCode): void => this.opts.transport.send(from, { kind: 'reject', incarnation, requestId, code });
    if (this.role !== 'leader') {
      reject('NOT_LEADER');
      return;
    }
    const last = this.lastForwarded.get(from);
    if (last && last.incarnation === incarnation && requestId <= last.requestId) return; // stale: its origin gave up on it
    this.lastForwarded.set(from, { incarnation, requestId });
    const env = encodeEnvelope({ origin: from, incarnation, requestId, timeMs: this.opts.clock(), txn });
    const r = this.driver.node.propose(env);
    if (!r.ok) {
      reject(r.code === 'NOT_LEADER' || r.code === 'LEADERSHIP_TRANSFER_IN_PROGRESS' ? 'NOT_LEADER' : proposeFailureCode(r.code));
      return;
    }
    this.deferral.proposed(r.index, from);
    this.driver.schedule();
  }

  private onReject(incarnation: number, requestId: number, code: ErrorCode): void {
    if (incarnation !== this.incarnation) return;
    const w = this.inflight.get(requestId);
    if (!w) return;
    this.inflight.delete(requestId);
    // NOT_LEADER: the write was not appended, but later writes of the session may have been, so
    // it is not retried (that could reorder them); the client sees a lost connection.
    const clientCode: ErrorCode = code === 'NOT_LEADER' ? 'CONNECTION_LOSS' : code;
    w.done?.({ ok: false, code: clientCode, message: `leader refused the write: ${code}` });
  }
}

function proposeFailureCode(code: string): ErrorCode {
  if (code === 'ENTRY_TOO_LARGE') return 'TOO_LARGE';
  if (code === 'UNCOMMITTED_LIMIT') return 'THROTTLED_OP';
  return 'CONNECTION_LOSS';
}
