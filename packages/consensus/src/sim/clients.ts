// Simulated clients: each proposes unique values to whichever node it believes leads (following
// NOT_LEADER hints) and asks for linearizable reads. A write is acknowledged only when the node
// it was proposed to applies it at the index and term the proposal returned.
import type { Entry, NodeId, ReadState } from '../types';
import type { RaftNode } from '../raft-node';
import type { Checker } from './checker';
import { decodeAscii, encodeAscii } from './codec';
import type { Prng } from './prng';

interface PendingWrite {
  value: string;
  node: NodeId;
  index: number;
  term: number;
  deadline: number;
}

interface PendingRead {
  ctx: string;
  node: NodeId;
  /** The highest index acknowledged to any client when the read was issued. */
  ackedBefore: number;
  deadline: number;
}

export interface ClientStats {
  proposed: number;
  acked: number;
  failed: number;
  reads: number;
  readsAnswered: number;
}

/** Time units a client waits for an answer before giving up (the value stays indeterminate). */
const REQUEST_TIMEOUT_UNITS = 400;
const PENDING_WRITES_MAX = 64;
const PENDING_READS_MAX = 16;

export class Clients {
  private readonly believedLeader: NodeId[];
  private writes: PendingWrite[] = [];
  private reads: PendingRead[] = [];
  private nextValue = 1;
  private nextRead = 1;
  readonly stats: ClientStats = { proposed: 0, acked: 0, failed: 0, reads: 0, readsAnswered: 0 };

  constructor(
    count: number,
    private readonly nodeIds: readonly NodeId[],
    private readonly rng: Prng,
    private readonly checker: Checker,
    private readonly node: (id: NodeId) => RaftNode | undefined,
    private readonly log: (text: () => string) => void = () => undefined,
  ) {
    this.believedLeader = Array.from({ length: count }, () => rng.pick(nodeIds));
  }

  /** One time unit of client activity. */
  act(now: number, writeRate: number, readRate: number): void {
    for (let c = 0; c < this.believedLeader.length; c++) {
      if (this.rng.chance(writeRate)) this.write(c, now, `v${this.nextValue++}`);
      if (this.rng.chance(readRate)) this.read(c, now);
    }
  }

  /** Proposes `value` through client `c`, following a NOT_LEADER hint next time. */
  private write(c: number, now: number, value: string): void {
    const id = this.believedLeader[c] as NodeId;
    const res = this.proposeAt(id, now, value);
    if (res === 'DOWN') this.believedLeader[c] = this.rng.pick(this.nodeIds);
    else if (res !== 'OK') this.believedLeader[c] = res !== 0 ? res : this.rng.pick(this.nodeIds);
  }

  /** Proposes `value` at node `id`: 'OK', 'DOWN', or the leader hint of a refusal. */
  proposeAt(id: NodeId, now: number, value: string): 'OK' | 'DOWN' | NodeId {
    const raft = this.node(id);
    if (raft === undefined || this.writes.length >= PENDING_WRITES_MAX) return 'DOWN';
    const res = raft.propose(encodeAscii(value));
    if (!res.ok) return res.code === 'NOT_LEADER' ? res.leaderHint : id;
    this.stats.proposed++;
    this.log(() => `client proposed ${value} at n${id}: index ${res.index} term ${res.term}`);
    this.writes.push({ value, node: id, index: res.index, term: res.term, deadline: now + REQUEST_TIMEOUT_UNITS });
    return 'OK';
  }

  private read(c: number, now: number): void {
    const id = this.believedLeader[c] as NodeId;
    const raft = this.node(id);
    if (raft === undefined || this.reads.length >= PENDING_READS_MAX) return;
    const ctx = `r${this.nextRead++}`;
    if (!raft.readIndex(ctx).ok) return;
    this.stats.reads++;
    this.log(() => `client read ${ctx} at n${id} (acknowledged so far: ${this.checker.maxAckedIndex})`);
    this.reads.push({ ctx, node: id, ackedBefore: this.checker.maxAckedIndex, deadline: now + REQUEST_TIMEOUT_UNITS });
  }

  /** Node `id` applied `e`: settles the write proposed there at that index. */
  onApply(id: NodeId, e: Entry): void {
    const k = this.writes.findIndex((w) => w.node === id && w.index === e.index);
    if (k < 0) return;
    const w = this.writes[k] as PendingWrite;
    this.writes.splice(k, 1);
    if (e.term === w.term && e.type === 'normal' && decodeAscii(e.data) === w.value) {
      this.stats.acked++;
      this.log(() => `client acknowledged ${w.value} at index ${e.index}`);
      this.checker.observeAck(w.value, e.index);
    } else {
      this.stats.failed++; // overwritten by another leader's entry: the proposal did not take
    }
  }

  onReadState(id: NodeId, rs: ReadState): void {
    const k = this.reads.findIndex((r) => r.node === id && r.ctx === rs.ctx);
    if (k < 0) return;
    const r = this.reads[k] as PendingRead;
    this.reads.splice(k, 1);
    this.stats.readsAnswered++;
    this.log(() => `client read ${r.ctx} answered at n${id}: index ${rs.index}`);
    this.checker.observeRead(id, r.ctx, r.ackedBefore, rs.index);
  }

  /** The node's process died: its callers see a connection loss. */
  onCrash(id: NodeId): void {
    this.writes = this.writes.filter((w) => w.node !== id);
    this.reads = this.reads.filter((r) => r.node !== id);
  }

  expire(now: number): void {
    if (this.writes.some((w) => w.deadline <= now)) this.writes = this.writes.filter((w) => w.deadline > now);
    if (this.reads.some((r) => r.deadline <= now)) this.reads = this.reads.filter((r) => r.deadline > now);
  }

  isPending(value: string): boolean {
    return this.writes.some((w) => w.value === value);
  }
}
