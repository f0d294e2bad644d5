// The compact binary form of what servers send each other inside a PeerFrame's `batch`: Raft
// messages (entries and snapshots included), writes forwarded to the leader, the leader's
// refusals of such writes, and session touches. Pure. Decoding checks everything and throws a
// DecodeError naming the problem; a peer that sends garbage loses its stream, never the server.
import type { Entry, EntryType, Message } from '@ensemble/consensus';
import { ByteReader } from '../tree/byte-reader';
import { ByteWriter } from '../tree/byte-writer';
import type { ErrorCode } from '../tree/types';

export const PEER_CODEC_VERSION = 1;

/** A client write a follower passes to the leader, with the key its answer will carry. */
export interface ForwardItem {
  kind: 'forward';
  incarnation: number;
  requestId: number;
  /** `encodeTxn` of the transaction with zxid 0 and time 0; the leader stamps the time. */
  txn: Buffer;
}

/** The leader did not append a forwarded write: it fails at its origin with `code`. */
export interface RejectItem {
  kind: 'reject';
  incarnation: number;
  requestId: number;
  code: ErrorCode;
}

/** Sessions that showed life on the sending server since its last touch (ZooKeeper: pings forwarded to the leader). */
export interface TouchItem {
  kind: 'touch';
  sessionIds: number[];
}

/**
 * The leader's commit index as it applies entries, capped at what it knows this follower holds:
 * lets the follower apply at once instead of waiting for the next append (which the leader
 * sends only after its own next fsync). Used only within `term`, from that term's leader.
 */
export interface CommitItem {
  kind: 'commit';
  term: number;
  index: number;
}

export interface RaftItem {
  kind: 'raft';
  message: Message;
}

export type PeerItem = RaftItem | ForwardItem | RejectItem | TouchItem | CommitItem;

/**
 * Optional parts of this codec, a bit each, that a server announces in its hello frame: a
 * member of an older build does not read them, so they are sent only to peers that announced
 * them (an upgrade may restart members in any order, as a StatefulSet does).
 */
export const PEER_FEATURES = {
  /** The Raft 'persisted' message. */
  persisted: 1,
} as const;
export const PEER_FEATURES_ALL = PEER_FEATURES.persisted;

/** Whether a peer that announced `features` reads `item`. */
export function peerReads(features: number, item: PeerItem): boolean {
  return item.kind !== 'raft' || item.message.type !== 'persisted' || (features & PEER_FEATURES.persisted) !== 0;
}

const ITEM_TAGS = { raft: 1, forward: 2, reject: 3, touch: 4, commit: 5 } as const;
const MESSAGE_TAGS = {
  append: 1, appendResponse: 2, heartbeat: 3, heartbeatResponse: 4, vote: 5, preVote: 6,
  voteResponse: 7, preVoteResponse: 8, snapshot: 9, timeoutNow: 10, readIndex: 11, readIndexResponse: 12,
  persisted: 13,
} as const satisfies Record<Message['type'], number>;
const MESSAGE_TYPES = Object.fromEntries(Object.entries(MESSAGE_TAGS).map(([k, v]) => [v, k])) as Record<number, Message['type']>;
const ENTRY_TYPES: readonly EntryType[] = ['normal', 'noop', 'config'];
/** Sanity bounds on counts read from the wire, so garbage cannot make us allocate without end. */
const ITEMS_PER_BATCH_MAX = 1_000_000;
const VOTERS_MAX = 15;

export function encodeBatch(items: readonly PeerItem[]): Buffer {
  const w = new ByteWriter(64 + items.reduce((n, it) => n + itemSizeHint(it), 0));
  w.u8(PEER_CODEC_VERSION);
  w.varUint(items.length);
  for (const item of items) writeItem(w, item);
  return w.finish();
}

export function decodeBatch(buf: Buffer): PeerItem[] {
  const r = new ByteReader(buf, 'peer batch');
  const version = r.u8();
  if (version !== PEER_CODEC_VERSION) r.fail(`unsupported peer codec version ${version}`);
  const count = r.varUint();
  if (count > ITEMS_PER_BATCH_MAX || count > r.remaining) r.fail(`implausible item count ${count}`);
  const items: PeerItem[] = [];
  for (let i = 0; i < count; i++) items.push(readItem(r));
  r.end();
  return items;
}

/** Bytes an item takes, roughly: for batching limits and buffer sizing. */
export function itemSizeHint(item: PeerItem): number {
  switch (item.kind) {
    case 'forward':
      return 24 + item.txn.length;
    case 'touch':
      return 8 + item.sessionIds.length * 8;
    case 'reject':
      return 40;
    case 'commit':
      return 16;
    case 'raft': {
      const m = item.message;
      if (m.type === 'append') return 48 + m.entries.reduce((n, e) => n + 16 + e.data.length, 0);
      if (m.type === 'snapshot') return 64 + m.snapshot.data.length;
      return 48;
    }
  }
}

function writeItem(w: ByteWriter, item: PeerItem): void {
  w.u8(ITEM_TAGS[item.kind]);
  switch (item.kind) {
    case 'raft':
      writeMessage(w, item.message);
      return;
    case 'forward':
      w.varUint(item.incarnation);
      w.varUint(item.requestId);
      w.bytes(item.txn);
      return;
    case 'reject':
      w.varUint(item.incarnation);
      w.varUint(item.requestId);
      w.string(item.code);
      return;
    case 'touch':
      w.varUint(item.sessionIds.length);
      for (const id of item.sessionIds) w.sessionId(id);
      return;
    case 'commit':
      w.varUint(item.term);
      w.varUint(item.index);
      return;
  }
}

function readItem(r: ByteReader): PeerItem {
  const tag = r.u8();
  switch (tag) {
    case ITEM_TAGS.raft:
      return { kind: 'raft', message: readMessage(r) };
    case ITEM_TAGS.forward:
      return { kind: 'forward', incarnation: r.varUint(), requestId: r.varUint(), txn: rawBytes(r) };
    case ITEM_TAGS.reject:
      return { kind: 'reject', incarnation: r.varUint(), requestId: r.varUint(), code: r.string() as ErrorCode };
    case ITEM_TAGS.touch: {
      const count = r.varUint();
      if (count > r.remaining / 8) r.fail(`implausible touch count ${count}`);
      const sessionIds: number[] = [];
      for (let i = 0; i < count; i++) sessionIds.push(r.sessionId());
      return { kind: 'touch', sessionIds };
    }
    case ITEM_TAGS.commit:
      return { kind: 'commit', term: r.varUint(), index: r.varUint() };
    default:
      return r.fail(`unknown peer item tag ${tag}`);
  }
}

/** A length-prefixed byte string as a view into the batch (no copy: batches are not reused). */
function rawBytes(r: ByteReader): Buffer {
  return r.raw(r.varUint());
}

function writeMessage(w: ByteWriter, m: Message): void {
  w.u8(MESSAGE_TAGS[m.type]);
  w.varUint(m.from);
  w.varUint(m.to);
  w.varUint(m.term);
  switch (m.type) {
    case 'append':
      w.varUint(m.prevIndex);
      w.varUint(m.prevTerm);
      w.varUint(m.commit);
      w.varUint(m.entries.length);
      for (const e of m.entries) writeEntry(w, e);
      return;
    case 'appendResponse':
      w.u8(m.reject ? 1 : 0);
      w.varUint(m.index);
      w.varUint(m.rejectHint);
      w.varUint(m.rejectHintTerm);
      return;
    case 'heartbeat':
      w.varUint(m.commit);
      w.varUint(m.readSeq);
      return;
    case 'heartbeatResponse':
      w.varUint(m.readSeq);
      return;
    case 'vote':
    case 'preVote':
      w.varUint(m.lastIndex);
      w.varUint(m.lastTerm);
      w.u8(m.transfer ? 1 : 0);
      return;
    case 'voteResponse':
    case 'preVoteResponse':
      w.u8(m.reject ? 1 : 0);
      return;
    case 'snapshot':
      w.varUint(m.snapshot.index);
      w.varUint(m.snapshot.term);
      w.varUint(m.snapshot.voters.length);
      for (const v of m.snapshot.voters) w.varUint(v);
      w.bytes(m.snapshot.data);
      return;
    case 'timeoutNow':
      return;
    case 'persisted':
      w.varUint(m.index);
      return;
    case 'readIndex':
      w.string(m.ctx);
      return;
    case 'readIndexResponse':
      w.string(m.ctx);
      w.varUint(m.index);
      return;
  }
}

function writeEntry(w: ByteWriter, e: Entry): void {
  w.varUint(e.term);
  w.varUint(e.index);
  w.u8(ENTRY_TYPES.indexOf(e.type));
  w.bytes(e.data);
}

function readEntry(r: ByteReader): Entry {
  const term = r.varUint();
  const index = r.varUint();
  const type = ENTRY_TYPES[r.u8()];
  if (type === undefined) r.fail('unknown entry type');
  return { term, index, type, data: rawBytes(r) };
}

function readFlag(r: ByteReader): boolean {
  const b = r.u8();
  if (b > 1) r.fail(`flag byte ${b}`);
  return b === 1;
}

// Each message is built as one literal (no spread of a shared head): decoding runs for every
// message on every server, and spreading made it the costliest part of it.
function readMessage(r: ByteReader): Message {
  const type = MESSAGE_TYPES[r.u8()];
  if (type === undefined) r.fail('unknown raft message type');
  const from = r.varUint();
  const to = r.varUint();
  const term = r.varUint();
  switch (type) {
    case 'append': {
      const prevIndex = r.varUint();
      const prevTerm = r.varUint();
      const commit = r.varUint();
      const count = r.varUint();
      if (count > r.remaining / 4) r.fail(`implausible entry count ${count}`);
      const entries: Entry[] = [];
      for (let i = 0; i < count; i++) entries.push(readEntry(r));
      return { type, from, to, term, prevIndex, prevTerm, commit, entries };
    }
    case 'appendResponse': {
      const reject = readFlag(r);
      const index = r.varUint();
      const rejectHint = r.varUint();
      const rejectHintTerm = r.varUint();
      return { type, from, to, term, reject, index, rejectHint, rejectHintTerm };
    }
    case 'heartbeat': {
      const commit = r.varUint();
      const readSeq = r.varUint();
      return { type, from, to, term, commit, readSeq };
    }
    case 'heartbeatResponse':
      return { type, from, to, term, readSeq: r.varUint() };
    case 'vote':
    case 'preVote': {
      const lastIndex = r.varUint();
      const lastTerm = r.varUint();
      const transfer = readFlag(r);
      return { type, from, to, term, lastIndex, lastTerm, transfer };
    }
    case 'voteResponse':
    case 'preVoteResponse':
      return { type, from, to, term, reject: readFlag(r) };
    case 'snapshot': {
      const index = r.varUint();
      const snapshotTerm = r.varUint();
      const voterCount = r.varUint();
      if (voterCount > VOTERS_MAX) r.fail(`implausible voter count ${voterCount}`);
      const voters: number[] = [];
      for (let i = 0; i < voterCount; i++) voters.push(r.varUint());
      return { type, from, to, term, snapshot: { index, term: snapshotTerm, voters, data: rawBytes(r) } };
    }
    case 'timeoutNow':
      return { type, from, to, term };
    case 'persisted':
      return { type, from, to, term, index: r.varUint() };
    case 'readIndex':
      return { type, from, to, term, ctx: r.string() };
    case 'readIndexResponse': {
      const ctx = r.string();
      return { type, from, to, term, ctx, index: r.varUint() };
    }
  }
}
