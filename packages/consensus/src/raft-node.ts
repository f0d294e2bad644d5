// The shell's handle on one Raft node (etcd-io/raft rawnode.go): inputs in, one Ready out at a
// time, advance() to acknowledge it. The Ready/advance pair is what lets the shell persist before
// it sends and apply only what is committed; see Ready in types.ts for the order of work.
import { assert } from './assert';
import { MAX_READ_CTX_CHARS, resolveConfig, type RaftConfig, type ResolvedConfig } from './config';
import { Raft } from './raft';
import type {
  CompactResult,
  Entry,
  HardState,
  Message,
  NodeId,
  PeerStatus,
  ProposeResult,
  ReadIndexResult,
  Ready,
  RestoreResult,
  Snapshot,
  SoftState,
  Status,
  TransferResult,
} from './types';

function sameHardState(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}

export class RaftNode {
  private readonly cfg: ResolvedConfig;
  private readonly raft: Raft;
  private prevHardState: HardState;
  private prevSoftState: SoftState;
  /** The Ready handed out and not yet advanced. */
  private outstanding: Ready | undefined;

  constructor(config: RaftConfig) {
    this.cfg = resolveConfig(config);
    this.raft = new Raft(this.cfg);
    this.prevHardState = this.raft.hardState();
    this.prevSoftState = this.raft.softState();
  }

  get id(): NodeId {
    return this.raft.id;
  }

  /** One logical clock tick: drives election timeouts and heartbeats. */
  tick(): void {
    this.raft.tick();
  }

  /** A message from a peer. Messages from non-voters and for other nodes are bugs of the shell. */
  step(message: Message): void {
    this.raft.step(message);
  }

  /**
   * Appends a normal entry if this node leads. Success means "appended at (index, term)": the
   * proposal took effect iff the entry committed at `index` has that `term`.
   */
  propose(data: Uint8Array): ProposeResult {
    return this.raft.propose(data);
  }

  /**
   * Asks for a linearizable read point; the answer comes back as a ReadState with the same ctx
   * (possibly from the leader, via a follower). A request may be dropped when leadership changes:
   * the shell times it out and retries.
   */
  readIndex(ctx: string): ReadIndexResult {
    if (ctx.length > MAX_READ_CTX_CHARS) return { ok: false, code: 'CTX_TOO_LARGE' };
    return this.raft.readIndex(ctx);
  }

  transferLeadership(to: NodeId): TransferResult {
    return this.raft.transferLeadership(to);
  }

  /** The transport failed to reach `id`: stop pipelining to it and probe again. */
  reportUnreachable(id: NodeId): void {
    this.raft.reportUnreachable(id);
  }

  /** The transport finished (or gave up) sending a snapshot to `id`. */
  reportSnapshot(id: NodeId, ok: boolean): void {
    this.raft.reportSnapshot(id, ok);
  }

  /**
   * The shell saved a snapshot of its state machine at `index` (<= applied): the log before it
   * can go, and lagging followers will be sent this snapshot.
   */
  compact(index: number, data: Uint8Array): CompactResult {
    const log = this.raft.log;
    if (log.pendingSnapshot() !== undefined) return { ok: false, code: 'SNAPSHOT_PENDING' };
    if (index <= log.currentSnapshot().index) return { ok: false, code: 'ALREADY_COMPACTED' };
    if (index > log.applied) return { ok: false, code: 'NOT_APPLIED' };
    log.compact(index, data, [...this.raft.voters]);
    return { ok: true };
  }

  /** Installs a snapshot the shell obtained itself; it comes back in a Ready to persist and apply. */
  restore(snapshot: Snapshot): RestoreResult {
    return this.raft.restore(snapshot);
  }

  /** What the shell must do next, or null when there is nothing. Call advance() before the next. */
  ready(): Ready | null {
    assert(this.outstanding === undefined, 'ready() called again before advance()');
    this.raft.flush();
    const log = this.raft.log;
    const hardState = this.raft.hardState();
    const softState = this.raft.softState();
    const snapshot = log.pendingSnapshot();
    const rd: Ready = {
      entries: log.unstableEntries(),
      messages: this.raft.takeMessages(),
      committed: log.nextCommitted(this.cfg.maxCommittedPerReady),
      readStates: this.raft.takeReadStates(),
      mustSync: false,
    };
    if (!sameHardState(hardState, this.prevHardState)) rd.hardState = hardState;
    if (softState.leaderId !== this.prevSoftState.leaderId || softState.role !== this.prevSoftState.role) rd.softState = softState;
    if (snapshot !== undefined) rd.snapshot = snapshot;
    if (rd.hardState === undefined && rd.softState === undefined && rd.snapshot === undefined && rd.entries.length === 0
      && rd.messages.length === 0 && rd.committed.length === 0 && rd.readStates.length === 0) {
      return null;
    }
    const votedOrNewTerm = rd.hardState !== undefined
      && (hardState.term !== this.prevHardState.term || hardState.vote !== this.prevHardState.vote);
    rd.mustSync = votedOrNewTerm || rd.entries.length > 0 || rd.snapshot !== undefined;
    this.prevHardState = hardState;
    this.prevSoftState = softState;
    this.outstanding = rd;
    return rd;
  }

  /**
   * Heartbeats and heartbeat answers queued since the last Ready, for a shell still persisting
   * that Ready: they may leave at once rather than behind a slow disk write, which would
   * otherwise silence a leader for as long as its fsync takes (and followers would elect
   * another). They carry no entries and vouch for nothing on disk but the term, so only those
   * of `durableTerm` — the term the shell has already made durable — are handed out.
   */
  takeHeartbeats(durableTerm: number): Message[] {
    return this.raft.takeHeartbeats(durableTerm);
  }

  /** The shell has persisted, sent and applied `rd`. */
  advance(rd: Ready): void {
    assert(rd === this.outstanding, 'advance() of a Ready that is not the outstanding one');
    this.outstanding = undefined;
    const log = this.raft.log;
    if (rd.snapshot !== undefined) {
      log.stableSnapshotTo(rd.snapshot.index);
      log.appliedTo(rd.snapshot.index);
    }
    const last = rd.entries[rd.entries.length - 1];
    if (last !== undefined) log.stableTo(last.index, last.term);
    const lastApplied = rd.committed[rd.committed.length - 1];
    if (lastApplied !== undefined) log.appliedTo(lastApplied.index);
    assert(log.applied <= log.stableIndex() || log.pendingSnapshot() !== undefined, 'applied an entry not persisted');
    this.raft.onStable();
  }

  status(): Status {
    const r = this.raft;
    const log = r.log;
    const progress = new Map<NodeId, PeerStatus>();
    for (const id of r.voters) {
      const pr = r.progressOf(id);
      if (pr !== undefined) progress.set(id, pr.status());
    }
    const snapshot = log.currentSnapshot();
    return {
      id: r.id, role: r.role, term: r.term, vote: r.vote, leaderId: r.lead,
      commit: log.committed, applied: log.applied,
      firstIndex: log.firstIndex(), lastIndex: log.lastIndex(), lastTerm: log.lastTerm(),
      stableIndex: log.stableIndex(), snapshotIndex: snapshot.index, snapshotTerm: snapshot.term,
      leadTransferee: r.leadTransferee, progress,
    };
  }

  /** Cheap accessors for hot paths (the simulator's checkers). */
  get role(): Status['role'] {
    return this.raft.role;
  }

  get term(): number {
    return this.raft.term;
  }

  get leaderId(): NodeId {
    return this.raft.lead;
  }

  get commitIndex(): number {
    return this.raft.log.committed;
  }

  /** The last index persisted by the shell (what status().stableIndex reports). */
  get stableIndex(): number {
    return this.raft.log.stableIndex();
  }

  get voters(): readonly NodeId[] {
    return this.raft.voters;
  }

  /** What status().progress holds for `id`, without building the whole status. */
  peerStatus(id: NodeId): PeerStatus | undefined {
    return this.raft.progressOf(id)?.status();
  }

  /** Term of the entry at `index` in this node's log (snapshot included), undefined if absent. */
  logTerm(index: number): number | undefined {
    return this.raft.log.term(index);
  }

  logEntry(index: number): Entry | undefined {
    return this.raft.log.entry(index);
  }

  snapshotIndex(): number {
    return this.raft.log.currentSnapshot().index;
  }

  lastIndex(): number {
    return this.raft.log.lastIndex();
  }
}
