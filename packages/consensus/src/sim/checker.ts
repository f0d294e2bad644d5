// Raft's safety properties (Raft §5.2, Fig. 3), checked continuously while the simulation runs,
// plus the client-visible ones: no acknowledged write lost, no value applied twice, no stale
// linearizable read. The checker trusts nothing from the nodes but what it observes; a violation
// throws a SimViolation that ends the run.
import type { Entry, NodeId, Role } from '../types';
import { chainHash, decodeAscii, HASH_SEED } from './codec';

export type ViolationKind =
  | 'election-safety'
  | 'log-matching'
  | 'leader-completeness'
  | 'state-machine-safety'
  | 'lost-write'
  | 'duplicate-apply'
  | 'stale-read'
  | 'liveness'
  | 'assertion';

export interface Violation {
  kind: ViolationKind;
  message: string;
}

export class SimViolation extends Error {
  override readonly name = 'SimViolation';

  constructor(readonly violation: Violation) {
    super(`${violation.kind}: ${violation.message}`);
  }
}

/** What the checker may look at in a node's log. */
export interface LogView {
  logTerm(index: number): number | undefined;
  snapshotIndex(): number;
}

export interface LeaderView {
  id: NodeId;
  term: number;
  log: LogView;
}

interface CommittedEntry {
  term: number;
  key: string;
  /** A term in which the entry was known committed (the first applier's term: an upper bound). */
  commitTerm: number;
}

/** What identifies an entry's content; client values are unique ASCII strings. */
export function entryKey(e: Entry): string {
  return e.type === 'normal' ? decodeAscii(e.data) : e.type;
}

function fail(kind: ViolationKind, message: string): never {
  throw new SimViolation({ kind, message });
}

export class Checker {
  private readonly leaderOfTerm = new Map<number, NodeId>();
  /** Log matching: (index, term) -> what every log holding it must agree on. */
  private readonly appended = new Map<string, { prevTerm: number; key: string }>();
  /** The committed log, as first applied anywhere: committed[i - 1] is index i. */
  private readonly committed: CommittedEntry[] = [];
  /** State machine digest after index i (hashes[0] is the empty state). */
  private readonly hashes: number[] = [HASH_SEED];
  private readonly valueIndex = new Map<string, number>();
  private readonly applied = new Map<NodeId, number>();
  private readonly acked = new Map<string, number>();
  maxAckedIndex = 0;

  constructor(private readonly currentLeaders: () => LeaderView[]) {}

  committedLength(): number {
    return this.committed.length;
  }

  hashAt(index: number): number | undefined {
    return this.hashes[index];
  }

  ackedIndex(value: string): number | undefined {
    return this.acked.get(value);
  }

  leadersElected(): number {
    return this.leaderOfTerm.size;
  }

  /** Election safety (Raft §5.2): at most one leader per term; leader completeness on election. */
  observeRole(node: NodeId, role: Role, term: number, log: LogView): void {
    if (role !== 'leader') return;
    const known = this.leaderOfTerm.get(term);
    if (known === node) return;
    if (known !== undefined) fail('election-safety', `n${known} and n${node} both lead term ${term}`);
    this.leaderOfTerm.set(term, node);
    this.checkLeaderHasCommitted(node, term, log);
  }

  /** Raft §5.4: a leader of term t holds every entry committed in a term before t. */
  private checkLeaderHasCommitted(node: NodeId, term: number, log: LogView): void {
    for (let i = this.committed.length; i >= 1; i--) {
      const c = this.committed[i - 1] as CommittedEntry;
      if (c.commitTerm >= term) continue;
      // Log matching makes the newest such entry enough: the prefix before it comes with it.
      this.requireEntry(node, term, log, i);
      return;
    }
  }

  private requireEntry(node: NodeId, term: number, log: LogView, index: number): void {
    if (index <= log.snapshotIndex()) return;
    const c = this.committed[index - 1] as CommittedEntry;
    const has = log.logTerm(index);
    if (has !== c.term) {
      fail('leader-completeness', `leader n${node} of term ${term} has term ${has} at ${index}, committed term ${c.term}`);
    }
  }

  /** Log matching (Raft §5.3): same index and term means same entry and same previous term. */
  observeAppend(node: NodeId, entries: readonly Entry[], prevTerm: number): void {
    let prev = prevTerm;
    for (const e of entries) {
      const key = entryKey(e);
      const id = `${e.index}/${e.term}`;
      const seen = this.appended.get(id);
      if (seen === undefined) this.appended.set(id, { prevTerm: prev, key });
      else if (seen.prevTerm !== prev || seen.key !== key) {
        fail('log-matching', `n${node} has ${key}@${id} after term ${prev}; another log has ${seen.key}@${id} after term ${seen.prevTerm}`);
      }
      prev = e.term;
    }
  }

  /** A node (re)started or installed a snapshot: its state machine is the snapshot's. */
  observeStateMachine(node: NodeId, index: number, hash: number): void {
    if (index > 0) {
      const expected = this.hashes[index];
      if (expected === undefined) fail('state-machine-safety', `n${node} has a snapshot at ${index}, beyond anything applied`);
      if (expected !== hash) fail('state-machine-safety', `n${node} snapshot at ${index} differs from the committed state`);
    }
    this.applied.set(node, index);
  }

  /** State machine safety (Raft §5.4.3): every node applies the same entry at each index, in order. */
  observeApply(node: NodeId, e: Entry, nodeTerm: number): void {
    const last = this.applied.get(node) ?? 0;
    if (e.index !== last + 1) fail('state-machine-safety', `n${node} applied ${e.index} after ${last}`);
    this.applied.set(node, e.index);
    const key = entryKey(e);
    const known = this.committed[e.index - 1];
    if (known !== undefined) {
      if (known.term !== e.term || known.key !== key) {
        fail('state-machine-safety', `n${node} applied ${key}/t${e.term} at ${e.index}; committed there: ${known.key}/t${known.term}`);
      }
      return;
    }
    if (e.index !== this.committed.length + 1) fail('state-machine-safety', `n${node} applied ${e.index} past the committed log`);
    this.recordCommitted(node, e, key, nodeTerm);
  }

  private recordCommitted(node: NodeId, e: Entry, key: string, nodeTerm: number): void {
    if (e.type === 'normal') {
      const other = this.valueIndex.get(key);
      if (other !== undefined) fail('duplicate-apply', `value ${key} applied at ${other} and again at ${e.index} (n${node})`);
      this.valueIndex.set(key, e.index);
    }
    this.committed.push({ term: e.term, key, commitTerm: nodeTerm });
    this.hashes.push(chainHash(this.hashes[this.hashes.length - 1] as number, key));
    for (const leader of this.currentLeaders()) {
      if (leader.term > nodeTerm) this.requireEntry(leader.id, leader.term, leader.log, e.index);
    }
  }

  /** A client was told its write succeeded. */
  observeAck(value: string, index: number): void {
    const c = this.committed[index - 1];
    if (c === undefined || c.key !== value) fail('lost-write', `value ${value} acknowledged at ${index} but not committed there`);
    this.acked.set(value, index);
    this.maxAckedIndex = Math.max(this.maxAckedIndex, index);
  }

  /** Thesis §6.4: a read point covers every write acknowledged before the read was issued. */
  observeRead(node: NodeId, ctx: string, ackedBeforeIndex: number, index: number): void {
    if (index < ackedBeforeIndex) {
      fail('stale-read', `read ${ctx} at n${node} answered with index ${index}, but a write at ${ackedBeforeIndex} was acknowledged before it`);
    }
  }

  /** After the liveness phase: every acknowledged write is in every node's committed log. */
  checkFinal(nodes: ReadonlyArray<{ id: NodeId; commit: number; log: LogView }>): void {
    for (const [value, index] of this.acked) {
      const c = this.committed[index - 1];
      if (c === undefined || c.key !== value) fail('lost-write', `acknowledged value ${value} is not committed at ${index}`);
    }
    for (const n of nodes) {
      if (n.commit < this.maxAckedIndex) fail('lost-write', `n${n.id} committed ${n.commit} < acknowledged ${this.maxAckedIndex}`);
      for (let i = n.log.snapshotIndex() + 1; i <= n.commit; i++) {
        const c = this.committed[i - 1];
        if (c === undefined || n.log.logTerm(i) !== c.term) {
          fail('state-machine-safety', `n${n.id} log at ${i} (term ${n.log.logTerm(i)}) differs from the committed log`);
        }
      }
    }
  }
}
