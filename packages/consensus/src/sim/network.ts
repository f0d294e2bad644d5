// A simulated network: every message gets a random delay (so messages reorder), may be lost or
// duplicated, and is dropped at delivery time if its link is cut by a partition.
import type { Message, NodeId } from '../types';
import type { Faults } from './faults';
import type { Prng } from './prng';

export interface Delivery {
  delivered: Message[];
  /** Cut by a partition at delivery time (the sender's transport would notice). */
  cut: Message[];
}

export interface NetworkStats {
  sent: number;
  lost: number;
  duplicated: number;
  cut: number;
}

/** A copy, as a real transport would make: nodes never share mutable message objects. */
function copyMessage(m: Message): Message {
  if (m.type === 'append') return { ...m, entries: m.entries.slice() };
  if (m.type === 'snapshot') return { ...m, snapshot: { ...m.snapshot, voters: m.snapshot.voters.slice() } };
  return { ...m };
}

export class SimNetwork {
  private readonly queue = new Map<number, Message[]>();
  /** Directed links that are down, as `from>to`. */
  private readonly blocked = new Set<string>();
  readonly stats: NetworkStats = { sent: 0, lost: 0, duplicated: 0, cut: 0 };

  constructor(private readonly rng: Prng, private faults: Faults) {}

  setFaults(faults: Faults): void {
    this.faults = faults;
  }

  /** Returns false when the message was lost on the way. */
  send(m: Message, now: number): boolean {
    this.stats.sent++;
    if (this.rng.chance(this.faults.lossRate)) {
      this.stats.lost++;
      return false;
    }
    this.enqueue(m, now);
    if (this.rng.chance(this.faults.duplicateRate)) {
      this.stats.duplicated++;
      this.enqueue(m, now);
    }
    return true;
  }

  private enqueue(m: Message, now: number): void {
    const at = now + this.rng.range(this.faults.delayMinUnits, this.faults.delayMaxUnits);
    const bucket = this.queue.get(at);
    if (bucket === undefined) this.queue.set(at, [copyMessage(m)]);
    else bucket.push(copyMessage(m));
  }

  due(now: number): Delivery {
    const bucket = this.queue.get(now) ?? [];
    this.queue.delete(now);
    const out: Delivery = { delivered: [], cut: [] };
    for (const m of bucket) {
      if (this.blocked.has(`${m.from}>${m.to}`)) out.cut.push(m);
      else out.delivered.push(m);
    }
    this.stats.cut += out.cut.length;
    return out;
  }

  /** Loses every message `from` still has in flight (its machine lost power). */
  dropFrom(from: NodeId): number {
    let dropped = 0;
    for (const [at, bucket] of this.queue) {
      const kept = bucket.filter((m) => m.from !== from);
      dropped += bucket.length - kept.length;
      this.queue.set(at, kept);
    }
    this.stats.lost += dropped;
    return dropped;
  }

  isPartitioned(): boolean {
    return this.blocked.size > 0;
  }

  /** Cuts the network and describes the cut; `asymmetric` cuts one direction of one node only. */
  partition(nodes: readonly NodeId[], asymmetric: boolean): string {
    if (asymmetric) {
      const x = this.rng.pick(nodes);
      const inbound = this.rng.chance(0.5);
      for (const y of nodes) if (y !== x) this.blocked.add(inbound ? `${y}>${x}` : `${x}>${y}`);
      return inbound ? `n${x} cannot hear anyone` : `nobody hears n${x}`;
    }
    const side = nodes.filter(() => this.rng.chance(0.5));
    if (side.length === 0 || side.length === nodes.length) side.splice(0, side.length, this.rng.pick(nodes));
    for (const a of side) {
      for (const b of nodes) {
        if (side.includes(b)) continue;
        this.blocked.add(`${a}>${b}`);
        this.blocked.add(`${b}>${a}`);
      }
    }
    return `{${side.join(',')}} | {${nodes.filter((n) => !side.includes(n)).join(',')}}`;
  }

  heal(): void {
    this.blocked.clear();
  }

  inFlight(): number {
    let n = 0;
    for (const bucket of this.queue.values()) n += bucket.length;
    return n;
  }
}
