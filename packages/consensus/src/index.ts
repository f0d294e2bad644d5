// @ensemble/consensus: a pure, deterministic Raft core (pre-vote, check-quorum, read-index,
// leadership transfer, snapshots) and the seeded simulator that tests it. See README.md.
export { RaftNode } from './raft-node';
export { AssertionError } from './assert';
export * from './config';
export { NO_NODE } from './types';
export type {
  AppendMessage,
  AppendResponseMessage,
  CompactResult,
  Entry,
  EntryType,
  HardState,
  HeartbeatMessage,
  HeartbeatResponseMessage,
  Message,
  MessageType,
  NodeId,
  NotLeader,
  PeerStatus,
  PersistedState,
  ProgressState,
  ProposeResult,
  ReadIndexMessage,
  ReadIndexResponseMessage,
  ReadIndexResult,
  ReadState,
  Ready,
  RestoreResult,
  Role,
  Snapshot,
  SnapshotMessage,
  SoftState,
  Status,
  TimeoutNowMessage,
  TransferResult,
  VoteMessage,
  VoteResponseMessage,
} from './types';
export { replayCommand, runSimulation, type SimOptions, type SimResult, type SimStats } from './sim/simulation';
export { faultProfile, PROFILE_NAMES, type Faults } from './sim/faults';
export type { Violation, ViolationKind } from './sim/checker';
export { Prng } from './sim/prng';
