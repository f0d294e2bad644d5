// Configuration of one Raft node and every limit the core applies, in one place (STYLE.md).
import { assert } from './assert';
import type { NodeId, PersistedState } from './types';

export interface RaftConfig {
  id: NodeId;
  /** Every voter, this node included. Membership is static. */
  peers: NodeId[];
  /** Ticks without hearing from a leader before campaigning; randomized in [n, 2n) (Raft §5.2). */
  electionTicks?: number;
  /** Ticks between a leader's heartbeats; must be smaller than electionTicks. */
  heartbeatTicks?: number;
  /** Campaign only after a dry run that a majority would vote (thesis §9.6). */
  preVote?: boolean;
  /** A leader that cannot hear a majority for an election timeout steps down (thesis §6.2). */
  checkQuorum?: boolean;
  /** Entries per AppendEntries message. */
  maxEntriesPerMsg?: number;
  /** Payload bytes per AppendEntries message (one entry is always allowed, whatever its size). */
  maxSizePerMsg?: number;
  /** Unacknowledged AppendEntries messages per follower in the replicate state. */
  maxInflightMsgs?: number;
  /** Payload bytes of one proposed entry. */
  maxEntryBytes?: number;
  /** Payload bytes the leader accepts in proposals not yet committed (back-pressure). */
  maxUncommittedBytes?: number;
  /** Read requests waiting for confirmation at the leader. */
  maxPendingReads?: number;
  /** Committed entries handed to the shell per Ready. */
  maxCommittedPerReady?: number;
  /**
   * When the leader's commit index moves, tell every follower at once with an append (empty if
   * need be), as etcd-raft does. A shell that sends its own commit notices turns this off; its
   * followers then learn commit indexes from those, from later appends and from heartbeats.
   */
  broadcastCommit?: boolean;
  /** Seeded source of randomness in [0, 1), used for election timeouts only. */
  random: () => number;
  /** What the shell read back from disk. */
  storage: PersistedState;
  /** Index the shell's state machine has already applied (default: the snapshot's index). */
  applied?: number;
}

export type ResolvedConfig = Required<Omit<RaftConfig, 'applied'>> & { applied: number | undefined };

export const ELECTION_TICKS_DEFAULT = 10;
export const HEARTBEAT_TICKS_DEFAULT = 1;
export const MAX_ENTRIES_PER_MSG_DEFAULT = 256;
export const MAX_SIZE_PER_MSG_DEFAULT = 1024 * 1024;
export const MAX_INFLIGHT_MSGS_DEFAULT = 64;
export const MAX_ENTRY_BYTES_DEFAULT = 2 * 1024 * 1024;
export const MAX_UNCOMMITTED_BYTES_DEFAULT = 64 * 1024 * 1024;
export const MAX_PENDING_READS_DEFAULT = 4096;
export const MAX_COMMITTED_PER_READY_DEFAULT = 1024;
/** Ceiling of the read context a caller may attach (it travels in messages). */
export const MAX_READ_CTX_CHARS = 256;
/** Ceiling of the voter set: quorum arithmetic and broadcast cost grow with it. */
export const MAX_VOTERS = 15;

export function resolveConfig(config: RaftConfig): ResolvedConfig {
  const resolved: ResolvedConfig = {
    id: config.id,
    peers: [...new Set(config.peers)].sort((a, b) => a - b),
    electionTicks: config.electionTicks ?? ELECTION_TICKS_DEFAULT,
    heartbeatTicks: config.heartbeatTicks ?? HEARTBEAT_TICKS_DEFAULT,
    preVote: config.preVote ?? true,
    checkQuorum: config.checkQuorum ?? true,
    maxEntriesPerMsg: config.maxEntriesPerMsg ?? MAX_ENTRIES_PER_MSG_DEFAULT,
    maxSizePerMsg: config.maxSizePerMsg ?? MAX_SIZE_PER_MSG_DEFAULT,
    maxInflightMsgs: config.maxInflightMsgs ?? MAX_INFLIGHT_MSGS_DEFAULT,
    maxEntryBytes: config.maxEntryBytes ?? MAX_ENTRY_BYTES_DEFAULT,
    maxUncommittedBytes: config.maxUncommittedBytes ?? MAX_UNCOMMITTED_BYTES_DEFAULT,
    maxPendingReads: config.maxPendingReads ?? MAX_PENDING_READS_DEFAULT,
    maxCommittedPerReady: config.maxCommittedPerReady ?? MAX_COMMITTED_PER_READY_DEFAULT,
    broadcastCommit: config.broadcastCommit ?? true,
    random: config.random,
    storage: config.storage,
    applied: config.applied,
  };
  validate(resolved, config.peers.length);
  return resolved;
}

function validate(c: ResolvedConfig, peersGiven: number): void {
  assert(Number.isInteger(c.id) && c.id > 0, `node id must be a positive integer, got ${c.id}`);
  assert(c.peers.length === peersGiven, 'peers must not repeat');
  assert(c.peers.length <= MAX_VOTERS, `at most ${MAX_VOTERS} voters, got ${c.peers.length}`);
  assert(c.peers.every((p) => Number.isInteger(p) && p > 0), 'peer ids must be positive integers');
  assert(c.peers.includes(c.id), `peers must include this node (${c.id})`);
  assert(c.heartbeatTicks >= 1, 'heartbeatTicks must be >= 1');
  assert(c.electionTicks > c.heartbeatTicks, 'electionTicks must be greater than heartbeatTicks');
  for (const key of ['maxEntriesPerMsg', 'maxSizePerMsg', 'maxInflightMsgs', 'maxEntryBytes',
    'maxUncommittedBytes', 'maxPendingReads', 'maxCommittedPerReady'] as const) {
    assert(Number.isInteger(c[key]) && c[key] >= 1, `${key} must be a positive integer`);
  }
  assert(typeof c.random === 'function', 'random must be a function (a seeded PRNG)');
}
