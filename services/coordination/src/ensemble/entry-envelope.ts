// What a Raft entry of the ensemble carries: the transaction a client asked for, who asked (so
// that server can answer), and the leader's clock. Pure.
//
// ZooKeeper (PrepRequestProcessor): the leader fixes everything non-deterministic in the
// transaction before it is replicated. Here the leader stamps the time; the zxid is not stored
// at all but derived from the entry's position, `term * 2^32 + index`, which increases strictly
// along a Raft log because terms never decrease along it (Raft §5.3, Log Matching).
import { ByteReader } from '../tree/byte-reader';
import { ByteWriter } from '../tree/byte-writer';
import { decodeTxn } from '../tree/txn-codec';
import { makeZxid, ZXID_EPOCH_MAX, type Txn } from '../tree/types';

export const ENVELOPE_FORMAT_VERSION = 1;

export interface EntryEnvelope {
  /** The server whose client asked for the write (0: none, e.g. a leader's own expiry). */
  origin: number;
  /** Random per process start of the origin: request ids restart at every start. */
  incarnation: number;
  /** The origin's counter: (origin, incarnation, requestId) names one proposal. */
  requestId: number;
  /** The leader's clock when it appended the entry. */
  timeMs: number;
  /** `encodeTxn` of the transaction with zxid 0 and time 0 (the session id is set). */
  txn: Buffer;
}

export function encodeEnvelope(env: EntryEnvelope): Buffer {
  const w = new ByteWriter(32 + env.txn.length);
  w.u8(ENVELOPE_FORMAT_VERSION);
  w.varUint(env.origin);
  w.varUint(env.incarnation);
  w.varUint(env.requestId);
  w.varUint(env.timeMs);
  w.raw(env.txn);
  return w.finish();
}

export function decodeEnvelope(buf: Uint8Array): EntryEnvelope {
  const bytes = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const r = new ByteReader(bytes, 'entry envelope');
  const version = r.u8();
  if (version !== ENVELOPE_FORMAT_VERSION) r.fail(`unsupported envelope format version ${version}`);
  const origin = r.varUint();
  const incarnation = r.varUint();
  const requestId = r.varUint();
  const timeMs = r.varUint();
  const txn = r.raw(r.remaining);
  return { origin, incarnation, requestId, timeMs, txn };
}

/** The zxid of the entry at (term, index): term in the high 32 bits, index in the low 32. */
export function zxidOf(term: number, index: number): number {
  if (!(Number.isInteger(term) && term >= 1 && term <= ZXID_EPOCH_MAX)) throw new Error(`term ${term} does not fit a zxid (1..${ZXID_EPOCH_MAX})`);
  if (!(Number.isInteger(index) && index >= 1 && index < 2 ** 32)) throw new Error(`raft index ${index} does not fit a zxid (< 2^32)`);
  return makeZxid(term, index);
}

/** The transaction every replica applies for the normal entry at (term, index). */
export function txnOfEntry(env: EntryEnvelope, term: number, index: number): Txn {
  const txn = decodeTxn(env.txn);
  return { zxid: zxidOf(term, index), timeMs: env.timeMs, sessionId: txn.sessionId, op: txn.op };
}
