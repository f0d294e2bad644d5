// The Raft state machine proper (etcd-io/raft raft.go): roles, terms, elections with pre-vote and
// check-quorum, log replication with flow control, snapshots, read-index and leadership transfer.
// Synchronous and deterministic: inputs are ticks, messages and calls; outputs are queued
// messages and read states, and changes to the log that RaftNode turns into a Ready.
import { assert } from './assert';
import type { ResolvedConfig } from './config';
import { Progress } from './progress';
import { RaftLog } from './raft-log';
import { ReadQueue, type ReadRequest } from './read-queue';
import {
  NO_NODE,
  type AppendMessage,
  type AppendResponseMessage,
  type Entry,
  type EntryType,
  type HardState,
  type HeartbeatMessage,
  type HeartbeatResponseMessage,
  type Message,
  type NodeId,
  type ProposeResult,
  type ReadIndexResult,
  type ReadState,
  type RestoreResult,
  type Role,
  type Snapshot,
  type SoftState,
  type TransferResult,
  type VoteMessage,
  type VoteResponseMessage,
} from './types';

const EMPTY = new Uint8Array(0);

/** Messages a leader (and only a leader) sends: receiving one makes its sender our leader. */
function isFromLeader(m: Message): boolean {
  return m.type === 'append' || m.type === 'heartbeat' || m.type === 'snapshot' || m.type === 'persisted';
}

export class Raft {
  readonly id: NodeId;
  readonly voters: readonly NodeId[];
  readonly log: RaftLog;
  term: number;
  vote: NodeId;
  lead: NodeId = NO_NODE;
  role: Role = 'follower';
  leadTransferee: NodeId = NO_NODE;
  private electionElapsed = 0;
  private heartbeatElapsed = 0;
  private randomizedElectionTimeout = 0;
  private readonly votes = new Map<NodeId, boolean>();
  /** Leader only: every voter, this node included (its match is what it has persisted). */
  private progress = new Map<NodeId, Progress>();
  private readonly reads = new ReadQueue();
  private readSeq = 0;
  private uncommittedBytes = 0;
  /** Proposals or a commit advance wait to be broadcast; flushed once per Ready (batching). */
  private broadcastPending = false;
  private readHeartbeatPending = false;
  /** Follower: the last index known to match this term's leader's log (its accepted appends). */
  private leaderMatch = 0;
  /** maybeCommit's sorting space, kept: it runs on every acknowledgement. */
  private readonly matchScratch: number[] = [];
  /** Follower: the leader's log is on its disk up to here (PersistedMessage). */
  private leaderPersisted = 0;
  private msgs: Message[] = [];
  private readStates: ReadState[] = [];

  constructor(private readonly cfg: ResolvedConfig) {
    this.id = cfg.id;
    this.voters = cfg.peers;
    const { hardState, snapshot, entries } = cfg.storage;
    if (snapshot !== undefined) assert(this.sameVoters(snapshot.voters), 'snapshot voters differ from peers');
    this.log = new RaftLog(snapshot, entries, hardState.commit, cfg.applied, [...cfg.peers]);
    this.term = hardState.term;
    this.vote = hardState.vote;
    this.becomeFollower(hardState.term, NO_NODE);
  }

  hardState(): HardState {
    return { term: this.term, vote: this.vote, commit: this.log.committed };
  }

  softState(): SoftState {
    return { leaderId: this.lead, role: this.role };
  }

  takeMessages(): Message[] {
    const out = this.msgs;
    this.msgs = [];
    return out;
  }

  /** Heartbeats and their answers of `term`, taken out of the queue; the rest stays. */
  takeHeartbeats(term: number): Message[] {
    const out: Message[] = [];
    const rest: Message[] = [];
    for (const m of this.msgs) ((m.type === 'heartbeat' || m.type === 'heartbeatResponse') && m.term === term ? out : rest).push(m);
    this.msgs = rest;
    return out;
  }

  takeReadStates(): ReadState[] {
    const out = this.readStates;
    this.readStates = [];
    return out;
  }

  progressOf(id: NodeId): Progress | undefined {
    return this.role === 'leader' && id !== this.id ? this.progress.get(id) : undefined;
  }

  // ---------------------------------------------------------------- role changes

  private reset(term: number): void {
    if (term !== this.term) {
      this.term = term;
      this.vote = NO_NODE;
    }
    this.lead = NO_NODE;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    // Raft §5.2: randomized timeouts in [T, 2T) make split votes rare.
    this.randomizedElectionTimeout = this.cfg.electionTicks + Math.floor(this.cfg.random() * this.cfg.electionTicks);
    this.leadTransferee = NO_NODE;
    this.votes.clear();
    this.progress = new Map();
    this.reads.clear();
    this.uncommittedBytes = 0;
    this.broadcastPending = false;
    this.readHeartbeatPending = false;
    this.leaderMatch = 0;
    this.leaderPersisted = 0;
  }

  private becomeFollower(term: number, lead: NodeId): void {
    this.reset(term);
    this.role = 'follower';
    this.lead = lead;
  }

  /** Thesis §9.6: a pre-candidate changes neither its term nor its vote. */
  private becomePreCandidate(): void {
    assert(this.role !== 'leader', 'leader cannot become pre-candidate');
    this.role = 'pre-candidate';
    this.lead = NO_NODE;
    this.votes.clear();
  }

  private becomeCandidate(): void {
    assert(this.role !== 'leader', 'leader cannot become candidate');
    this.reset(this.term + 1);
    this.role = 'candidate';
    this.vote = this.id;
  }

  private becomeLeader(): void {
    assert(this.role === 'candidate', `only a candidate becomes leader, not a ${this.role}`);
    this.reset(this.term);
    this.role = 'leader';
    this.lead = this.id;
    const next = this.log.lastIndex() + 1;
    for (const id of this.voters) this.progress.set(id, new Progress(next, this.cfg.maxInflightMsgs));
    const self = this.progress.get(this.id) as Progress;
    self.maybeUpdate(this.log.stableIndex());
    self.recentActive = true;
    // Raft §5.4.2 / §8: an entry of its own term lets the leader commit, and so learn, everything before it.
    this.appendEntry('noop', EMPTY);
  }

  // ---------------------------------------------------------------- ticks

  tick(): void {
    if (this.role === 'leader') this.tickLeader();
    else this.tickElection();
  }

  private tickElection(): void {
    this.electionElapsed++;
    if (this.electionElapsed >= this.randomizedElectionTimeout) {
      this.electionElapsed = 0;
      this.campaign();
    }
  }

  private tickLeader(): void {
    this.heartbeatElapsed++;
    this.electionElapsed++;
    if (this.electionElapsed >= this.cfg.electionTicks) {
      this.electionElapsed = 0;
      if (this.cfg.checkQuorum && !this.quorumActive()) {
        this.becomeFollower(this.term, NO_NODE);
        return;
      }
      // Thesis §3.10: a transfer that did not finish within an election timeout is abandoned.
      this.leadTransferee = NO_NODE;
    }
    if (this.heartbeatElapsed >= this.cfg.heartbeatTicks) {
      this.heartbeatElapsed = 0;
      this.broadcastHeartbeat();
    }
  }

  /** Thesis §6.2 check-quorum: did a majority answer during the last election timeout? */
  private quorumActive(): boolean {
    let active = 0;
    for (const [id, pr] of this.progress) {
      if (id === this.id || pr.recentActive) active++;
      if (id !== this.id) pr.recentActive = false;
    }
    return active >= this.quorum();
  }

  private quorum(): number {
    return Math.floor(this.voters.length / 2) + 1;
  }

  // ---------------------------------------------------------------- elections (Raft §5.2)

  /** Election timeout: a dry run first when pre-vote is on (thesis §9.6). */
  private campaign(): void {
    if (this.role === 'leader') return;
    if (this.cfg.preVote) this.requestVotes('preVote', false);
    else this.requestVotes('vote', false);
  }

  /**
   * `transfer`: told to by the leader (thesis §3.10), so no pre-vote is needed and the vote may
   * break the other voters' leases.
   */
  private requestVotes(type: 'vote' | 'preVote', transfer: boolean): void {
    if (this.role === 'leader') return;
    if (type === 'preVote') this.becomePreCandidate();
    else this.becomeCandidate();
    this.votes.set(this.id, true);
    if (this.tallyVotes()) return;
    const term = type === 'preVote' ? this.term + 1 : this.term;
    const lastIndex = this.log.lastIndex();
    const lastTerm = this.log.lastTerm();
    for (const to of this.voters) {
      if (to === this.id) continue;
      this.send({ type, from: this.id, to, term, lastIndex, lastTerm, transfer });
    }
  }

  /** Acts on the votes so far; true if the election is decided. */
  private tallyVotes(): boolean {
    let granted = 0;
    for (const v of this.votes.values()) if (v) granted++;
    const rejected = this.votes.size - granted;
    if (granted >= this.quorum()) {
      if (this.role === 'pre-candidate') this.requestVotes('vote', false);
      else this.becomeLeader();
      return true;
    }
    if (rejected > this.voters.length - this.quorum()) {
      this.becomeFollower(this.term, NO_NODE);
      return true;
    }
    return false;
  }

  /** Raft §5.2 / §5.4.1 vote rules, and the same rules for a pre-vote at a future term. */
  private onVoteRequest(m: VoteMessage): void {
    const canVote = this.vote === m.from
      || (this.vote === NO_NODE && this.lead === NO_NODE)
      || (m.type === 'preVote' && m.term > this.term);
    const respType = m.type === 'vote' ? 'voteResponse' : 'preVoteResponse';
    if (canVote && this.log.isUpToDate(m.lastIndex, m.lastTerm)) {
      // A grant carries the term asked for, so a pre-candidate can tell it from a stale one.
      this.send({ type: respType, from: this.id, to: m.from, term: m.term, reject: false });
      if (m.type === 'vote') {
        this.electionElapsed = 0;
        this.vote = m.from;
      }
    } else {
      this.send({ type: respType, from: this.id, to: m.from, term: this.term, reject: true });
    }
  }

  private onVoteResponse(m: VoteResponseMessage): void {
    const expected = this.role === 'pre-candidate' ? 'preVoteResponse' : 'voteResponse';
    if (m.type !== expected) return;
    // Grants to a pre-vote carry the term we would campaign in; older ones are stale.
    if (m.type === 'preVoteResponse' && !m.reject && m.term !== this.term + 1) return;
    if (!this.votes.has(m.from)) this.votes.set(m.from, !m.reject);
    this.tallyVotes();
  }

  // ---------------------------------------------------------------- message intake

  step(m: Message): void {
    assert(m.to === this.id, `message for ${m.to} delivered to ${this.id}`);
    if (m.from === this.id || !this.voters.includes(m.from)) return;
    if (m.term > this.term && !this.onHigherTerm(m)) return;
    if (m.term < this.term) {
      this.onLowerTerm(m);
      return;
    }
    if (m.type === 'vote' || m.type === 'preVote') {
      this.onVoteRequest(m);
      return;
    }
    if (this.role === 'leader') this.stepLeader(m);
    else if (this.role === 'follower') this.stepFollower(m);
    else this.stepCandidate(m);
  }

  /** Raft §5.1: a higher term wins — except for the cases pre-vote and leases carve out. */
  private onHigherTerm(m: Message): boolean {
    if ((m.type === 'vote' || m.type === 'preVote') && !m.transfer && this.inLease()) {
      // Thesis §4.2.3 / §9.6: while we hear from a leader, a rejoining node cannot depose it.
      return false;
    }
    if (m.type === 'preVote') return true; // a pre-vote never changes our term
    if (m.type === 'preVoteResponse' && !m.reject) return true; // granted at our future term
    this.becomeFollower(m.term, isFromLeader(m) ? m.from : NO_NODE);
    return true;
  }

  private inLease(): boolean {
    return this.cfg.checkQuorum && this.lead !== NO_NODE && this.electionElapsed < this.cfg.electionTicks;
  }

  private onLowerTerm(m: Message): void {
    if ((this.cfg.checkQuorum || this.cfg.preVote) && (m.type === 'append' || m.type === 'heartbeat')) {
      // A deposed leader we no longer follow: tell it our term so it steps down. Without this, a
      // node whose term rose while cut off (and that cannot win a pre-vote) could stay stranded.
      this.sendAppendResponse(m.from, false, 0, 0, 0);
    } else if (m.type === 'preVote') {
      this.send({ type: 'preVoteResponse', from: this.id, to: m.from, term: this.term, reject: true });
    }
  }

  private stepFollower(m: Message): void {
    if (isFromLeader(m)) {
      assert(this.lead === NO_NODE || this.lead === m.from, `two leaders in term ${this.term}: ${this.lead} and ${m.from}`);
      this.electionElapsed = 0;
      this.lead = m.from;
    }
    switch (m.type) {
      case 'append': return this.onAppend(m);
      case 'heartbeat': return this.onHeartbeat(m);
      case 'snapshot': return this.onSnapshot(m.from, m.snapshot);
      case 'timeoutNow': return this.requestVotes('vote', true);
      case 'persisted': {
        this.leaderPersisted = Math.max(this.leaderPersisted, m.index);
        this.followerCommit();
        return;
      }
      case 'readIndexResponse': {
        this.readStates.push({ ctx: m.ctx, index: m.index });
        return;
      }
      default: return;
    }
  }

  private stepCandidate(m: Message): void {
    if (isFromLeader(m)) {
      // Raft §5.2: a candidate that hears from a leader of its term returns to follower.
      this.becomeFollower(this.term, m.from);
      this.stepFollower(m);
      return;
    }
    if (m.type === 'voteResponse' || m.type === 'preVoteResponse') this.onVoteResponse(m);
  }

  private stepLeader(m: Message): void {
    assert(!isFromLeader(m), `two leaders in term ${this.term}: ${this.id} and ${m.from}`);
    const pr = this.progress.get(m.from) as Progress;
    switch (m.type) {
      case 'appendResponse':
        pr.recentActive = true;
        return m.reject ? this.onAppendReject(m, pr) : this.onAppendAccept(m, pr);
      case 'heartbeatResponse':
        pr.recentActive = true;
        return this.onHeartbeatResponse(m, pr);
      case 'readIndex':
        this.onReadRequest({ ctx: m.ctx, from: m.from });
        return;
      default: return;
    }
  }

  // ---------------------------------------------------------------- follower side (Raft §5.3)

  private onAppend(m: AppendMessage): void {
    if (m.prevIndex < this.log.committed) {
      this.sendAppendResponse(m.from, false, this.log.committed, 0, 0);
      return;
    }
    const lastNew = this.log.maybeAppend(m.prevIndex, m.prevTerm, m.commit, m.entries);
    if (lastNew !== undefined) {
      // Raft §5.3: our log now equals the leader's up to lastNew, and a leader never rewrites its own.
      this.leaderMatch = Math.max(this.leaderMatch, lastNew);
      this.followerCommit();
      this.sendAppendResponse(m.from, false, lastNew, 0, 0);
      return;
    }
    const [hint, hintTerm] = this.log.findConflictByTerm(m.prevIndex, m.prevTerm);
    this.sendAppendResponse(m.from, true, m.prevIndex, hint, hintTerm);
  }

  private sendAppendResponse(to: NodeId, reject: boolean, index: number, rejectHint: number, rejectHintTerm: number): void {
    this.send({ type: 'appendResponse', from: this.id, to, term: this.term, reject, index, rejectHint, rejectHintTerm });
  }

  private onHeartbeat(m: HeartbeatMessage): void {
    this.log.commitTo(m.commit);
    this.send({ type: 'heartbeatResponse', from: this.id, to: m.from, term: this.term, readSeq: m.readSeq });
  }

  private onSnapshot(from: NodeId, snapshot: Snapshot): void {
    const installed = this.installSnapshot(snapshot);
    this.sendAppendResponse(from, false, installed ? this.log.lastIndex() : this.log.committed, 0, 0);
  }

  /** Raft §7: a snapshot behind our commit is stale; one whose last entry we hold only moves commit. */
  private installSnapshot(s: Snapshot): boolean {
    assert(this.sameVoters(s.voters), 'snapshot voters differ from peers (membership is static)');
    if (s.index <= this.log.committed) return false;
    if (this.log.matchTerm(s.index, s.term)) {
      this.log.commitTo(s.index);
      return false;
    }
    this.log.restore(s);
    return true;
  }

  restore(s: Snapshot): RestoreResult {
    if (this.role === 'leader') return { ok: false, code: 'IS_LEADER' };
    if (!this.sameVoters(s.voters)) return { ok: false, code: 'WRONG_VOTERS' };
    if (s.index <= this.log.committed) return { ok: false, code: 'STALE_SNAPSHOT' };
    this.installSnapshot(s);
    return { ok: true };
  }

  private sameVoters(voters: readonly NodeId[]): boolean {
    return voters.length === this.voters.length && voters.every((v) => this.voters.includes(v));
  }

  // ---------------------------------------------------------------- leader: proposals

  propose(data: Uint8Array): ProposeResult {
    if (this.role !== 'leader') return { ok: false, code: 'NOT_LEADER', leaderHint: this.lead };
    if (this.leadTransferee !== NO_NODE) return { ok: false, code: 'LEADERSHIP_TRANSFER_IN_PROGRESS' };
    if (data.length > this.cfg.maxEntryBytes) return { ok: false, code: 'ENTRY_TOO_LARGE' };
    if (this.uncommittedBytes > 0 && this.uncommittedBytes + data.length > this.cfg.maxUncommittedBytes) {
      return { ok: false, code: 'UNCOMMITTED_LIMIT' };
    }
    const entry = this.appendEntry('normal', data);
    return { ok: true, index: entry.index, term: entry.term };
  }

  private appendEntry(type: EntryType, data: Uint8Array): Entry {
    const entry: Entry = { term: this.term, index: this.log.lastIndex() + 1, type, data };
    this.log.append([entry]);
    this.uncommittedBytes += data.length;
    this.broadcastPending = true;
    return entry;
  }

  /** Sends what calls since the last Ready queued up: one append and one heartbeat round at most. */
  flush(): void {
    if (this.role !== 'leader') return;
    if (this.broadcastPending) {
      this.broadcastPending = false;
      for (const to of this.voters) {
        if (to !== this.id && this.sendAppend(to, true)) this.fillWindow(to);
      }
    }
    if (this.readHeartbeatPending) {
      this.readHeartbeatPending = false;
      this.broadcastHeartbeat();
    }
  }

  /** The shell persisted the log up to stableIndex: the leader's own copy now counts. */
  onStable(): void {
    if (this.log.pendingSnapshot() !== undefined) return;
    if (this.role === 'follower') this.followerCommit();
    if (this.role !== 'leader') return;
    const self = this.progress.get(this.id) as Progress;
    const stable = this.log.stableIndex();
    if (!self.maybeUpdate(stable)) return;
    this.maybeCommit();
    this.announcePersisted(stable);
  }

  /**
   * With three voters, the leader and any one follower are a majority: tells each follower whose
   * answer is still due how far the leader's log is on disk (PersistedMessage), so that it can
   * commit without waiting for the leader to hear its answer and say so.
   */
  private announcePersisted(stable: number): void {
    if (this.quorum() !== 2) return;
    for (const [id, pr] of this.progress) {
      if (id === this.id || pr.state !== 'replicate') continue;
      const index = Math.min(stable, pr.next - 1); // no further than the entries sent to it
      if (index <= Math.max(pr.match, pr.persistedSent)) continue;
      pr.persistedSent = index;
      this.send({ type: 'persisted', from: this.id, to: id, term: this.term, index });
    }
  }

  /**
   * Raft §5.4.2 from a follower's side: where this follower and the leader are a majority
   * (three voters), an entry of the current term that both hold on disk is committed — the
   * leader said so of its copy, and ours matches the leader's up to leaderMatch.
   */
  private followerCommit(): void {
    if (this.role !== 'follower' || this.quorum() !== 2) return;
    this.log.maybeCommit(Math.min(this.leaderPersisted, this.leaderMatch, this.log.stableIndex()), this.term);
  }

  // ---------------------------------------------------------------- leader: replication

  /** Sends the follower what it lacks, unless its flow control says wait (etcd maybeSendAppend). */
  private sendAppend(to: NodeId, sendIfEmpty: boolean): boolean {
    const pr = this.progress.get(to) as Progress;
    if (pr.isPaused()) return false;
    const prevIndex = pr.next - 1;
    const prevTerm = this.log.term(prevIndex);
    if (prevTerm === undefined) return this.sendSnapshot(to, pr);
    const entries = this.log.slice(pr.next, this.cfg.maxEntriesPerMsg, this.cfg.maxSizePerMsg);
    if (entries.length === 0 && !sendIfEmpty) return false;
    this.send({ type: 'append', from: this.id, to, term: this.term, prevIndex, prevTerm, entries, commit: this.log.committed });
    pr.sentEntries(entries.length, prevIndex + entries.length);
    return true;
  }

  /** Raft §7: the entries the follower needs are compacted away. */
  private sendSnapshot(to: NodeId, pr: Progress): boolean {
    if (!pr.recentActive) return false; // no snapshot to a node we have not heard from lately
    const snapshot = this.log.currentSnapshot();
    this.send({ type: 'snapshot', from: this.id, to, term: this.term, snapshot });
    pr.becomeSnapshot(snapshot.index);
    return true;
  }

  private onAppendReject(m: AppendResponseMessage, pr: Progress): void {
    // Raft §5.3 fast backtracking: jump to the last index where our term is <= the follower's.
    const probe = m.rejectHintTerm > 0 ? this.log.findConflictByTerm(m.rejectHint, m.rejectHintTerm)[0] : m.rejectHint;
    if (!pr.maybeDecrTo(m.index, probe)) return;
    if (pr.state === 'replicate') pr.becomeProbe();
    this.sendAppend(m.from, true);
  }

  private onAppendAccept(m: AppendResponseMessage, pr: Progress): void {
    const wasPaused = pr.isPaused();
    const updated = pr.maybeUpdate(m.index);
    if (!updated && !(pr.state === 'probe' && pr.match === m.index)) return;
    if (pr.state === 'probe') pr.becomeReplicate();
    else if (pr.state === 'snapshot' && pr.match + 1 >= this.log.firstIndex()) {
      pr.becomeProbe();
      pr.becomeReplicate();
    } else if (pr.state === 'replicate') pr.inflights.freeLE(m.index);
    if (!(updated && this.maybeCommit()) && wasPaused) this.sendAppend(m.from, true);
    this.fillWindow(m.from);
    if (m.from === this.leadTransferee && pr.match === this.log.lastIndex()) this.sendTimeoutNow(m.from);
  }

  /** Pipelining: keeps sending while there are entries and the window has room (each send fills it). */
  private fillWindow(to: NodeId): void {
    for (let i = 0; i < this.cfg.maxInflightMsgs && this.sendAppend(to, false); i++);
  }

  /** Raft §5.3/§5.4.2: commit the highest index a majority holds, if it is of our term. */
  private maybeCommit(): boolean {
    const old = this.log.committed;
    if (!this.log.maybeCommit(this.quorumMatch(), this.term)) return false;
    for (let i = old + 1; i <= this.log.committed; i++) {
      if (this.log.term(i) === this.term) this.uncommittedBytes = Math.max(0, this.uncommittedBytes - (this.log.dataLength(i) as number));
    }
    if (this.cfg.broadcastCommit) this.broadcastPending = true; // followers learn the new commit index
    for (const request of this.reads.takeDeferred()) this.onReadRequest(request);
    return true;
  }

  /**
   * The highest index a quorum of voters holds: the quorum()-th largest match. An insertion sort
   * into kept space, as this runs for every acknowledgement and Array.prototype.sort allocates
   * its work space on each call (about a kilobyte per write, all of it garbage).
   */
  private quorumMatch(): number {
    const sorted = this.matchScratch;
    let n = 0;
    for (const id of this.voters) {
      const match = (this.progress.get(id) as Progress).match;
      let i = n++;
      for (; i > 0 && (sorted[i - 1] as number) < match; i--) sorted[i] = sorted[i - 1] as number;
      sorted[i] = match;
    }
    return sorted[this.quorum() - 1] as number;
  }

  private broadcastHeartbeat(): void {
    for (const to of this.voters) {
      if (to === this.id) continue;
      const pr = this.progress.get(to) as Progress;
      // Never tell a follower to commit past what it is known to hold.
      const commit = Math.min(pr.match, this.log.committed);
      this.send({ type: 'heartbeat', from: this.id, to, term: this.term, commit, readSeq: this.readSeq });
    }
  }

  private onHeartbeatResponse(m: HeartbeatResponseMessage, pr: Progress): void {
    pr.probeSent = false;
    // Lost acknowledgements would otherwise keep a full window shut forever.
    if (pr.state === 'replicate' && pr.inflights.full()) pr.inflights.freeFirstOne();
    if (pr.match < this.log.lastIndex() || pr.state === 'probe') this.sendAppend(m.from, true);
    if (m.readSeq > pr.readSeqAcked) {
      pr.readSeqAcked = m.readSeq;
      this.confirmReads();
    }
  }

  reportUnreachable(id: NodeId): void {
    const pr = this.progressOf(id);
    if (pr !== undefined && pr.state === 'replicate') pr.becomeProbe();
  }

  reportSnapshot(id: NodeId, ok: boolean): void {
    const pr = this.progressOf(id);
    if (pr === undefined || pr.state !== 'snapshot') return;
    if (!ok) pr.pendingSnapshot = 0;
    pr.becomeProbe();
    // Wait for the follower's answer (or the next heartbeat answer) before probing again.
    pr.probeSent = true;
  }

  // ---------------------------------------------------------------- linearizable reads (thesis §6.4)

  readIndex(ctx: string): ReadIndexResult {
    if (this.role === 'leader') {
      return this.onReadRequest({ ctx, from: this.id }) ? { ok: true } : { ok: false, code: 'READ_LIMIT' };
    }
    if (this.role !== 'follower' || this.lead === NO_NODE) return { ok: false, code: 'NOT_LEADER', leaderHint: this.lead };
    this.send({ type: 'readIndex', from: this.id, to: this.lead, term: this.term, ctx });
    return { ok: true };
  }

  private onReadRequest(request: ReadRequest): boolean {
    if (this.reads.size() >= this.cfg.maxPendingReads) return false;
    if (this.log.term(this.log.committed) !== this.term) {
      this.reads.defer(request);
      return true;
    }
    if (this.voters.length === 1) {
      this.answerRead(request, this.log.committed);
      return true;
    }
    this.reads.enqueue({ ...request, index: this.log.committed, seq: ++this.readSeq });
    this.readHeartbeatPending = true;
    return true;
  }

  private confirmReads(): void {
    const confirmed = this.reads.popConfirmed((seq) => {
      let acks = 0;
      for (const [id, pr] of this.progress) if (id === this.id || pr.readSeqAcked >= seq) acks++;
      return acks >= this.quorum();
    });
    for (const read of confirmed) this.answerRead(read, read.index);
  }

  private answerRead(request: ReadRequest, index: number): void {
    if (request.from === this.id) this.readStates.push({ ctx: request.ctx, index });
    else this.send({ type: 'readIndexResponse', from: this.id, to: request.from, term: this.term, ctx: request.ctx, index });
  }

  // ---------------------------------------------------------------- leadership transfer (thesis §3.10)

  transferLeadership(to: NodeId): TransferResult {
    if (this.role !== 'leader') return { ok: false, code: 'NOT_LEADER', leaderHint: this.lead };
    if (!this.voters.includes(to)) return { ok: false, code: 'UNKNOWN_PEER' };
    if (to === this.id || to === this.leadTransferee) return { ok: true };
    this.leadTransferee = to;
    this.electionElapsed = 0; // the transfer has one election timeout to finish
    const pr = this.progress.get(to) as Progress;
    if (pr.match === this.log.lastIndex()) this.sendTimeoutNow(to);
    else this.sendAppend(to, true);
    return { ok: true };
  }

  private sendTimeoutNow(to: NodeId): void {
    this.send({ type: 'timeoutNow', from: this.id, to, term: this.term });
  }

  private send(m: Message): void {
    assert(m.to !== this.id, 'message to self');
    this.msgs.push(m);
  }
}
