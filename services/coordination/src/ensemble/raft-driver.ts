// The shell around the pure Raft core (packages/consensus): runs its Ready/advance contract
// against the disk and the network, and hands committed entries to the state machine.
//
// Per Ready, in the core's order (etcd-io/raft): persist (snapshot, entries, hard state) →
// send → apply → advance. Two refinements keep the order's guarantees and save a disk
// round trip: a leader sends its appends before its own fsync (Raft thesis §10.2.1 — the
// leader's entry counts towards a majority only once the leader itself persisted it, which the
// core enforces), and entries that were durable before this Ready are applied before its
// fsync. Inputs that arrive while a Ready is being persisted (messages, proposals) are stepped
// into the core at once and leave together in the next Ready: that is the group commit. A
// Ready's messages leave at once rather than at the end of the turn: the leader's own log
// write comes after its appends, not before them.
import type { Entry, Message, RaftNode, Ready, Snapshot } from '@ensemble/consensus';
import type { Logger } from 'winston';
import type { AppendDeferral } from './append-deferral';
import type { PeerTransport } from './peer-transport';
import type { RaftStorage } from './raft-storage';

export interface RaftDriverHooks {
  /** Replaces the state machine with a snapshot's contents (a leader's InstallSnapshot). */
  restoreSnapshot(snapshot: Snapshot): void;
  /** A Ready is about to apply committed entries (a leader tells its followers first). */
  beforeApply(): void;
  /** Applies one committed entry, in index order, exactly once per process. */
  applyEntry(entry: Entry): void;
  /**
   * The state machine's encoding as of the last applied entry: the state is captured when this
   * is called, the bytes may come later (they are written while entries keep being applied).
   */
  serializeState(): Promise<Buffer>;
  /** After each Ready was handled: role, leader and term changes, read states. */
  afterReady(rd: Ready): void;
  /** Entries were applied outside a Ready (applyCommitted). */
  afterApply(): void;
  /** Storage failed: the process must stop (ZooKeeper exits too). */
  onFatal(err: Error): void;
}

export interface RaftDriverOptions {
  node: RaftNode;
  storage: RaftStorage;
  transport: PeerTransport;
  voters: readonly number[];
  /** The snapshot the server started from, if any. */
  initialSnapshot?: Snapshot;
  /** Applied entries between snapshots: each interval is drawn from [snapshotEvery / 2, snapshotEvery). */
  snapshotEvery: number;
  snapshotRetain: number;
  /**
   * Randomness in [0, 1) for the snapshot intervals. Replicas apply the same entries, so with a
   * fixed interval all of them would snapshot at once, and the whole ensemble would pay the
   * CPU and disk of it at the same moment (ZooKeeper randomizes snapCount for the same reason).
   */
  random: () => number;
  logger: Logger;
  hooks: RaftDriverHooks;
  /** A leader's appends to followers its quorums do not need wait here (see AppendDeferral). */
  deferral?: AppendDeferral;
}

export class RaftDriver {
  readonly node: RaftNode;
  appliedIndex: number;
  private appliedTerm: number;
  /** Index of the last entry known to be on disk. */
  private durableIndex: number;
  /** The term of the hard state on disk. */
  private durableTerm: number;
  private running = false;
  private scheduled = false;
  private stopped = false;
  private idleWaiters: Array<() => void> = [];
  private sinceSnapshot = 0;
  private snapshotAfter: number;
  private snapshotting: Promise<void> | null = null;
  /** Snapshots installed from a leader: one arriving while our own is written makes that one stale. */
  private restores = 0;
  /** The newest snapshot taken; the in-memory log is compacted to the one before it. */
  private newestSnapshot: Snapshot | null;

  constructor(private readonly opts: RaftDriverOptions) {
    this.node = opts.node;
    const snap = opts.initialSnapshot;
    this.appliedIndex = snap?.index ?? 0;
    this.appliedTerm = snap?.term ?? 0;
    this.durableIndex = opts.node.lastIndex();
    this.durableTerm = opts.node.term;
    this.newestSnapshot = snap ?? null;
    this.snapshotAfter = this.drawSnapshotInterval();
  }

  private drawSnapshotInterval(): number {
    const every = this.opts.snapshotEvery;
    return Math.max(1, Math.floor(every / 2 + this.opts.random() * (every / 2)));
  }

  /**
   * Runs the Ready loop soon. A leader with writes in flight waits for the end of the turn, so
   * that every proposal and answer that arrived in it leaves in one Ready: one append per
   * follower, one log write (at 16 outstanding writes, a Ready per input cost 15% of the
   * throughput). Anyone else — a leader included, while at most one entry is uncommitted, as
   * with a lone write — runs it once the input's callback is done, so that its appends or its
   * acknowledgement leave before whatever else arrived in this turn is handled (when the peer
   * links still sent from an immediate, this was worth 2-5% of writes/s at 1 outstanding).
   */
  schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    const run = (): void => {
      this.scheduled = false;
      void this.run();
    };
    if (this.batchesTurn()) setImmediate(run);
    else queueMicrotask(run);
  }

  /** A leader with more than one entry uncommitted has writes to batch: see schedule(). */
  private batchesTurn(): boolean {
    const node = this.node;
    return node.role === 'leader' && node.lastIndex() - node.commitIndex > 1;
  }

  step(from: number, message: Message): void {
    if (this.stopped) return;
    if (message.from !== from || message.to !== this.node.id || !this.opts.voters.includes(from)) {
      this.opts.logger.warn('misaddressed raft message dropped', { from, msgFrom: message.from, to: message.to });
      return;
    }
    this.node.step(message);
    this.afterInput();
  }

  tick(): void {
    if (this.stopped) return;
    this.node.tick();
    this.afterInput();
  }

  /** Advances the core's clock by `ticks` at once (see ReplicatedLog.onLinkChange). */
  fastForward(ticks: number): void {
    if (this.stopped) return;
    for (let i = 0; i < ticks; i++) this.node.tick();
    this.afterInput();
  }

  /**
   * While a Ready is being persisted, heartbeats and their answers leave at once: a leader whose
   * fsync stalls (a busy or shared disk: hundreds of ms here at times) would otherwise fall
   * silent for that long, and its followers would elect another (ZooKeeper, too, answers pings
   * apart from its log writes).
   */
  private afterInput(): void {
    if (this.running) this.send(this.node.takeHeartbeats(this.durableTerm));
    this.schedule();
  }

  /**
   * Applies entries that are committed and already durable here without waiting for the next
   * Ready (which may be queued behind an fsync): an acknowledgement that commits a write is
   * answered at once. Safe because only entries persisted in their current form (the core's
   * stable index) are applied; the next Ready hands them out again and they are skipped.
   * `knownCommitted`: a commit index the current leader told this follower outside Raft's
   * messages (a commit hint), already capped at what the follower is known to hold.
   */
  applyCommitted(knownCommitted = 0): void {
    if (this.stopped) return;
    const node = this.node;
    const bound = Math.min(Math.max(node.commitIndex, knownCommitted), node.stableIndex);
    if (this.appliedIndex >= bound) return;
    while (this.appliedIndex < bound) {
      const entry = this.node.logEntry(this.appliedIndex + 1);
      if (entry === undefined) break; // compacted, or replaced by a snapshot being installed
      this.apply(entry);
    }
    this.opts.hooks.afterApply();
  }

  /** Stops the loop after the Ready in progress (if any) and waits for it and a running snapshot. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.running) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    await this.snapshotting;
  }

  private async run(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    try {
      for (let rd = this.node.ready(); rd !== null; rd = this.stopped ? null : this.node.ready()) {
        const persisting = this.handle(rd);
        if (persisting) await persisting;
        this.node.advance(rd);
        this.maybeSnapshot();
      }
    } catch (err) {
      this.stopped = true;
      this.opts.hooks.onFatal(err instanceof Error ? err : new Error(String(err)));
    } finally {
      this.running = false;
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  /** Does everything the Ready asks; returns a promise only when something must reach the disk first. */
  private handle(rd: Ready): Promise<void> | null {
    const { storage, hooks } = this.opts;
    const termOrVoteChanged = rd.hardState !== undefined && storage.needsHardStateWrite(rd.hardState);
    const sendEarly = this.node.role === 'leader' && !termOrVoteChanged && rd.snapshot === undefined;
    if (sendEarly) this.send(rd.messages);
    if (rd.committed.length > 0) hooks.beforeApply();
    // Committed entries that were durable before this Ready can be applied now.
    const stableBound = rd.entries.length > 0 ? Math.min(this.durableIndex, rd.entries[0].index - 1) : this.durableIndex;
    let next = 0;
    if (rd.snapshot === undefined) {
      while (next < rd.committed.length && rd.committed[next].index <= stableBound) this.apply(rd.committed[next++]);
    }
    // Answers to clients of the entries just applied are written once this turn's synchronous
    // work is done (the session stream's outbox): they leave before an fsync on the loop's
    // thread blocks it. Peer messages left when sent.
    const sendsPending = next > 0;
    const finish = (): void => {
      if (rd.snapshot) this.durableIndex = rd.snapshot.index;
      if (rd.entries.length > 0) this.durableIndex = rd.entries[rd.entries.length - 1].index;
      if (!sendEarly) this.send(rd.messages);
      if (rd.snapshot) this.restore(rd.snapshot);
      for (; next < rd.committed.length; next++) this.apply(rd.committed[next]);
      hooks.afterReady(rd);
    };
    const persisting = this.persist(rd, termOrVoteChanged, sendsPending);
    if (persisting === null) {
      finish();
      return null;
    }
    return persisting.then(finish);
  }

  private persist(rd: Ready, termOrVoteChanged: boolean, sendsPending: boolean): Promise<void> | null {
    const { storage } = this.opts;
    if (rd.snapshot === undefined && rd.entries.length === 0 && !termOrVoteChanged) return null;
    // In this order, each durable before the next starts: a hard state whose commit index
    // pointed at entries not yet on disk could make a restart apply a stale tail as committed.
    return (async () => {
      if (rd.snapshot) await storage.installSnapshot(rd.snapshot);
      if (rd.entries.length > 0) await storage.appendEntries(rd.entries, { sendsPending });
      if (termOrVoteChanged) {
        await storage.saveHardState(rd.hardState!);
        this.durableTerm = rd.hardState!.term;
      }
    })();
  }

  private send(messages: readonly Message[]): void {
    if (messages.length === 0) return;
    const { transport, deferral } = this.opts;
    for (const message of messages) {
      if (deferral?.hold(message) !== true) transport.send(message.to, { kind: 'raft', message });
    }
    transport.flush();
  }

  private apply(entry: Entry): void {
    if (entry.index <= this.appliedIndex) return; // applied early by applyCommitted
    if (entry.index !== this.appliedIndex + 1) throw new Error(`apply of entry ${entry.index} after ${this.appliedIndex}`);
    this.opts.hooks.applyEntry(entry);
    this.opts.deferral?.committed(entry.index);
    this.appliedIndex = entry.index;
    this.appliedTerm = entry.term;
    this.sinceSnapshot += 1;
  }

  private restore(snapshot: Snapshot): void {
    this.opts.hooks.restoreSnapshot(snapshot);
    this.appliedIndex = snapshot.index;
    this.appliedTerm = snapshot.term;
    this.sinceSnapshot = 0;
    this.newestSnapshot = snapshot;
    this.restores += 1;
  }

  /**
   * Every snapshot interval of applied entries: capture the state machine now, exactly as it is at
   * appliedIndex (its bytes are written over the next turns), save it, purge beyond the retention count. The in-memory log is
   * compacted only up to the previous snapshot, so a follower slightly behind still gets
   * entries rather than a whole snapshot (etcd keeps a catch-up margin for the same reason).
   */
  private maybeSnapshot(): void {
    if (this.sinceSnapshot < this.snapshotAfter || this.snapshotting || this.appliedIndex === 0) return;
    this.takeSnapshot(false);
  }

  /**
   * A follower lost log entries it had acknowledged (its data directory was wiped): Raft
   * assumes it never does, and the leader would keep offering entries after the lost ones.
   * Compacting the log up to now makes the leader send it a snapshot instead (Raft §7).
   * Returns false when it cannot be done at this moment (the caller tries again later).
   */
  snapshotForLostFollower(): boolean {
    if (this.snapshotting || this.stopped || this.appliedIndex === 0 || this.appliedIndex <= this.node.snapshotIndex()) return false;
    if (this.appliedIndex > this.node.status().applied) return false; // applied early; the core catches up at the next advance
    this.takeSnapshot(true);
    return true;
  }

  private takeSnapshot(compactToIt: boolean): void {
    this.sinceSnapshot = 0;
    this.snapshotAfter = this.drawSnapshotInterval();
    const startedMs = Date.now();
    const index = this.appliedIndex;
    const term = this.appliedTerm;
    const restores = this.restores;
    const previous = this.newestSnapshot;
    if (!compactToIt && previous) this.compactTo(previous);
    const { storage, logger, snapshotRetain, hooks } = this.opts;
    this.snapshotting = hooks
      .serializeState()
      .then(async (data) => {
        if (this.restores !== restores) {
          logger.info('snapshot dropped: a newer one was installed meanwhile', { index });
          return;
        }
        const snapshot: Snapshot = { index, term, voters: [...this.opts.voters], data };
        if (compactToIt) this.compactTo(snapshot);
        this.newestSnapshot = snapshot;
        const { purgedSegments } = await storage.saveSnapshot(snapshot, snapshotRetain);
        logger.info('snapshot taken', { index, term, bytes: data.length, ms: Date.now() - startedMs, purgedSegments: purgedSegments.length });
      })
      .catch((err: unknown) => {
        // A failed snapshot loses nothing: the log still holds every entry after the last good one.
        logger.error('snapshot failed', { index, err });
      })
      .finally(() => {
        this.snapshotting = null;
      });
  }

  private compactTo(snapshot: Snapshot): void {
    if (snapshot.index <= this.node.snapshotIndex()) return;
    const r = this.node.compact(snapshot.index, snapshot.data);
    if (!r.ok) this.opts.logger.debug('log compaction skipped', { index: snapshot.index, code: r.code });
  }
}
