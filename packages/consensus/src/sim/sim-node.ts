// One simulated server: a disk that survives crashes, and — while the process is up — a RaftNode
// and a state machine (a digest of the values applied, which is what its snapshots hold).
import { RaftNode } from '../raft-node';
import type { Entry, NodeId, Ready, Snapshot } from '../types';
import { entryKey } from './checker';
import { chainHash, decodeAscii, encodeAscii, HASH_SEED } from './codec';
import { SimDisk } from './disk';

export interface StateMachine {
  index: number;
  hash: number;
}

export interface NodeTuning {
  electionTicks: number;
  heartbeatTicks: number;
  maxEntriesPerMsg: number;
  maxInflightMsgs: number;
  maxSizePerMsg: number;
  broadcastCommit: boolean;
}

export function encodeState(sm: StateMachine): Uint8Array {
  return encodeAscii(`${sm.index}:${sm.hash}`);
}

export function decodeState(data: Uint8Array): StateMachine {
  const [index, hash] = decodeAscii(data).split(':').map(Number);
  return { index: index ?? 0, hash: hash ?? HASH_SEED };
}

export class SimNode {
  readonly disk = new SimDisk();
  raft: RaftNode | undefined;
  /** A Ready whose write is in flight (fsync not done yet), while the process is up. */
  pendingReady: { rd: Ready; doneAt: number } | undefined;
  sm: StateMachine = { index: 0, hash: HASH_SEED };

  constructor(readonly id: NodeId, private readonly peers: readonly NodeId[], private readonly tuning: NodeTuning) {}

  get up(): boolean {
    return this.raft !== undefined;
  }

  /** Starts the process from what its disk holds. */
  boot(random: () => number): void {
    const storage = this.disk.load();
    this.raft = new RaftNode({ id: this.id, peers: [...this.peers], random, storage, ...this.tuning });
    this.sm = storage.snapshot === undefined ? { index: 0, hash: HASH_SEED } : decodeState(storage.snapshot.data);
  }

  /** Kills the process; `keepBuffered` records of an unsynced write survive (a torn write). */
  crash(keepBuffered: number): void {
    this.disk.crash(keepBuffered);
    this.raft = undefined;
    this.pendingReady = undefined;
  }

  applySnapshot(snapshot: Snapshot): void {
    this.sm = decodeState(snapshot.data);
  }

  apply(e: Entry): void {
    if (e.index !== this.sm.index + 1) throw new Error(`n${this.id}: apply ${e.index} after ${this.sm.index}`);
    this.sm = { index: e.index, hash: chainHash(this.sm.hash, entryKey(e)) };
  }

  /** Snapshots the state machine and compacts the log up to what it applied. */
  compact(): boolean {
    const raft = this.raft;
    if (raft === undefined || this.sm.index <= raft.snapshotIndex()) return false;
    const term = raft.logTerm(this.sm.index) as number;
    const data = encodeState(this.sm);
    if (!raft.compact(this.sm.index, data).ok) return false;
    this.disk.saveSnapshot({ index: this.sm.index, term, data, voters: [...this.peers] });
    return true;
  }
}
