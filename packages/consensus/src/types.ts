// The values that cross the boundary between the consensus core and its shell. All of them are
// plain, serializable objects (byte payloads stay Uint8Array) so the shell can put them on the
// wire or on disk unchanged.

/** A voter's id. Ids are positive integers; 0 means "nobody". */
export type NodeId = number;
export const NO_NODE: NodeId = 0;

/**
 * `noop` is the empty entry a new leader appends in its own term (Raft §5.4.2, §8); `config` is
 * reserved for membership changes (membership is static today, so none is ever produced).
 */
export type EntryType = 'normal' | 'noop' | 'config';

export interface Entry {
  readonly term: number;
  readonly index: number;
  readonly type: EntryType;
  readonly data: Uint8Array;
}

/** What must survive a crash before any message of the same Ready leaves the node (Raft Fig. 2). */
export interface HardState {
  term: number;
  vote: NodeId;
  commit: number;
}

export interface Snapshot {
  /** Index and term of the last entry the snapshot covers. */
  index: number;
  term: number;
  /** The state machine's own encoding of its state at `index`; opaque to the core. */
  data: Uint8Array;
  voters: NodeId[];
}

/** What the shell read back from disk at start. `entries` follow the snapshot (index > snapshot.index). */
export interface PersistedState {
  hardState: HardState;
  snapshot?: Snapshot;
  entries: Entry[];
}

export type Role = 'follower' | 'pre-candidate' | 'candidate' | 'leader';

export interface SoftState {
  leaderId: NodeId;
  role: Role;
}

/** A linearizable read is safe to serve once the state machine has applied `index`. */
export interface ReadState {
  ctx: string;
  index: number;
}

interface Envelope {
  from: NodeId;
  to: NodeId;
  term: number;
}

/** AppendEntries RPC (Raft §5.3); empty `entries` carries only `commit`. */
export interface AppendMessage extends Envelope {
  type: 'append';
  prevIndex: number;
  prevTerm: number;
  entries: Entry[];
  commit: number;
}

/**
 * Accepted: `index` is the last index now known to match the leader. Rejected: `index` is the
 * rejected `prevIndex`, and (`rejectHint`, `rejectHintTerm`) is the follower's guess of where the
 * logs may agree, so the leader can skip a whole term per round trip (Raft §5.3, last paragraph).
 */
export interface AppendResponseMessage extends Envelope {
  type: 'appendResponse';
  reject: boolean;
  index: number;
  rejectHint: number;
  rejectHintTerm: number;
}

/** Keeps followers from campaigning, carries commit, and confirms leadership for reads (`readSeq`). */
export interface HeartbeatMessage extends Envelope {
  type: 'heartbeat';
  commit: number;
  readSeq: number;
}

export interface HeartbeatResponseMessage extends Envelope {
  type: 'heartbeatResponse';
  readSeq: number;
}

/**
 * RequestVote (Raft §5.2) and its dry run PreVote (thesis §9.6), which is sent with the term the
 * candidate would campaign in. `transfer` marks a campaign started by leadership transfer
 * (thesis §3.10): it may disturb a healthy leader on purpose.
 */
export interface VoteMessage extends Envelope {
  type: 'vote' | 'preVote';
  lastIndex: number;
  lastTerm: number;
  transfer: boolean;
}

export interface VoteResponseMessage extends Envelope {
  type: 'voteResponse' | 'preVoteResponse';
  reject: boolean;
}

/** InstallSnapshot (Raft §7), whole: the shell may stream `snapshot.data` in chunks underneath. */
export interface SnapshotMessage extends Envelope {
  type: 'snapshot';
  snapshot: Snapshot;
}

/** Leadership transfer: "start an election now" (thesis §3.10). */
export interface TimeoutNowMessage extends Envelope {
  type: 'timeoutNow';
}

/**
 * The leader has its log up to `index` on its own disk. Sent after each of its log writes to
 * followers that have not yet acknowledged that far, where the leader and one follower are a
 * majority (three voters): a follower holding the same entries on its disk then knows them
 * committed itself, one round trip (its answer, the leader's commit notice) sooner.
 */
export interface PersistedMessage extends Envelope {
  type: 'persisted';
  index: number;
}

/** A follower's linearizable-read request, forwarded to the leader (thesis §6.4). */
export interface ReadIndexMessage extends Envelope {
  type: 'readIndex';
  ctx: string;
}

export interface ReadIndexResponseMessage extends Envelope {
  type: 'readIndexResponse';
  ctx: string;
  index: number;
}

export type Message =
  | AppendMessage
  | AppendResponseMessage
  | HeartbeatMessage
  | HeartbeatResponseMessage
  | VoteMessage
  | VoteResponseMessage
  | SnapshotMessage
  | TimeoutNowMessage
  | PersistedMessage
  | ReadIndexMessage
  | ReadIndexResponseMessage;

export type MessageType = Message['type'];

/**
 * Everything the shell must do, in this order (etcd-io/raft `Ready`):
 * 1. persist `snapshot` (if any), then `entries`, then `hardState`, and fsync when `mustSync`;
 *    `entries[0].index` is where the new entries start: first drop every persisted entry at or
 *    after that index (a conflicting tail being overwritten), then append;
 * 2. send `messages` (only now: a vote or an acknowledgement must never outrun the disk);
 * 3. apply `snapshot` then `committed` to the state machine, in order; serve `readStates` once
 *    applied >= their index;
 * 4. call `advance(ready)`.
 */
export interface Ready {
  hardState?: HardState;
  snapshot?: Snapshot;
  entries: Entry[];
  messages: Message[];
  committed: Entry[];
  readStates: ReadState[];
  softState?: SoftState;
  /** True when the persisted state changed in a way that must be fsynced before sending. */
  mustSync: boolean;
}

export interface NotLeader {
  ok: false;
  code: 'NOT_LEADER';
  /** The leader this node last heard from, or NO_NODE. */
  leaderHint: NodeId;
}

export type ProposeResult =
  | { ok: true; index: number; term: number }
  | NotLeader
  | { ok: false; code: 'LEADERSHIP_TRANSFER_IN_PROGRESS' | 'ENTRY_TOO_LARGE' | 'UNCOMMITTED_LIMIT' };

export type ReadIndexResult = { ok: true } | NotLeader | { ok: false; code: 'READ_LIMIT' | 'CTX_TOO_LARGE' };

export type TransferResult = { ok: true } | NotLeader | { ok: false; code: 'UNKNOWN_PEER' };

export type CompactResult = { ok: true } | { ok: false; code: 'NOT_APPLIED' | 'ALREADY_COMPACTED' | 'SNAPSHOT_PENDING' };

export type RestoreResult = { ok: true } | { ok: false; code: 'STALE_SNAPSHOT' | 'IS_LEADER' | 'WRONG_VOTERS' };

export type ProgressState = 'probe' | 'replicate' | 'snapshot';

export interface PeerStatus {
  match: number;
  next: number;
  state: ProgressState;
  recentActive: boolean;
  /** The highest leader-persisted index told to this follower (see PersistedMessage). */
  persistedSent: number;
}

/** A read-only view for the shell's status pages and for tests. */
export interface Status {
  id: NodeId;
  role: Role;
  term: number;
  vote: NodeId;
  leaderId: NodeId;
  commit: number;
  applied: number;
  firstIndex: number;
  lastIndex: number;
  lastTerm: number;
  stableIndex: number;
  snapshotIndex: number;
  snapshotTerm: number;
  leadTransferee: NodeId;
  /** Leader only: one entry per other voter. */
  progress: Map<NodeId, PeerStatus>;
}
