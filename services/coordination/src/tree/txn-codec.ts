// Binary form of a logged transaction: a format version byte, the header (zxid, time, session),
// then the op as a tag byte and its fields. Varints for counters and times, zigzag varints for
// versions (-1 is one byte), float64 for session ids. Decoding checks everything and throws a
// DecodeError (code MARSHALLING_ERROR) naming the problem and its byte offset.
import { ByteReader } from './byte-reader';
import { ByteWriter } from './byte-writer';
import type { CreateMode, MultiSubOp, Txn, TxnOp } from './types';

export const TXN_FORMAT_VERSION = 1;

const OP_TAGS = {
  create: 1, delete: 2, setData: 3, check: 4, multi: 5, createSession: 6, closeSession: 7, reap: 8, noop: 9,
} as const satisfies Record<TxnOp['type'], number>;

const MODES: readonly CreateMode[] = [
  'PERSISTENT', 'EPHEMERAL', 'PERSISTENT_SEQUENTIAL', 'EPHEMERAL_SEQUENTIAL', 'CONTAINER',
  'PERSISTENT_WITH_TTL', 'PERSISTENT_SEQUENTIAL_WITH_TTL',
];
const MIN_SUB_OP_BYTES = 3; // tag, path length, version or data length

export function encodeTxn(txn: Txn): Buffer {
  const w = new ByteWriter(64 + txnPayloadBytes(txn.op));
  w.u8(TXN_FORMAT_VERSION);
  w.varUint(txn.zxid);
  w.varUint(txn.timeMs);
  w.sessionId(txn.sessionId);
  writeOp(w, txn.op, false);
  return w.finish();
}

function txnPayloadBytes(op: TxnOp): number {
  if (op.type === 'create' || op.type === 'setData') return op.data.length + op.path.length * 3;
  if (op.type === 'multi') return op.ops.reduce((sum, sub) => sum + txnPayloadBytes(sub) + 16, 0);
  return 0;
}

function writeOp(w: ByteWriter, op: TxnOp, inMulti: boolean): void {
  const tag = OP_TAGS[op.type] as number | undefined;
  if (tag === undefined || (inMulti && tag > OP_TAGS.check)) throw new Error(`cannot encode op ${JSON.stringify(op.type)}${inMulti ? ' inside a multi' : ''}`);
  w.u8(tag);
  switch (op.type) {
    case 'create':
      w.string(op.path);
      w.bytes(op.data);
      w.u8(modeIndex(op.mode));
      w.varUint(op.ttlMs);
      return;
    case 'delete':
    case 'check':
      w.string(op.path);
      w.varInt32(op.version);
      return;
    case 'setData':
      w.string(op.path);
      w.bytes(op.data);
      w.varInt32(op.version);
      return;
    case 'multi':
      w.varUint(op.ops.length);
      for (const sub of op.ops) writeOp(w, sub, true);
      return;
    case 'createSession':
      w.sessionId(op.sessionId);
      w.varUint(op.timeoutMs);
      w.bytes(op.password);
      return;
    case 'closeSession':
      w.sessionId(op.sessionId);
      return;
    case 'reap':
      w.string(op.path);
      return;
    case 'noop':
      return;
  }
}

function modeIndex(mode: CreateMode): number {
  const index = MODES.indexOf(mode);
  if (index < 0) throw new Error(`cannot encode create mode ${JSON.stringify(mode)}`);
  return index;
}

export function decodeTxn(buf: Buffer): Txn {
  const r = new ByteReader(buf, 'txn');
  const version = r.u8();
  if (version !== TXN_FORMAT_VERSION) r.fail(`unsupported txn format version ${version}`);
  const zxid = r.varUint();
  const timeMs = r.varUint();
  const sessionId = r.sessionId();
  const op = readOp(r, r.u8());
  r.end();
  return { zxid, timeMs, sessionId, op };
}

function readOp(r: ByteReader, tag: number): TxnOp {
  switch (tag) {
    case OP_TAGS.multi: {
      const count = r.varUint();
      if (count > r.remaining / MIN_SUB_OP_BYTES) r.fail(`implausible multi op count ${count}`);
      const ops: MultiSubOp[] = [];
      for (let i = 0; i < count; i++) ops.push(readSubOp(r, r.u8(), true));
      return { type: 'multi', ops };
    }
    case OP_TAGS.createSession:
      return { type: 'createSession', sessionId: r.sessionId(), timeoutMs: r.varUint(), password: r.bytes() };
    case OP_TAGS.closeSession:
      return { type: 'closeSession', sessionId: r.sessionId() };
    case OP_TAGS.reap:
      return { type: 'reap', path: r.string() };
    case OP_TAGS.noop:
      return { type: 'noop' };
    default:
      return readSubOp(r, tag, false);
  }
}

function readSubOp(r: ByteReader, tag: number, inMulti: boolean): MultiSubOp {
  switch (tag) {
    case OP_TAGS.create: {
      const path = r.string();
      const data = r.bytes();
      const mode = MODES[r.u8()];
      if (mode === undefined) r.fail('unknown create mode');
      return { type: 'create', path, data, mode, ttlMs: r.varUint() };
    }
    case OP_TAGS.delete:
      return { type: 'delete', path: r.string(), version: r.varInt32() };
    case OP_TAGS.setData:
      return { type: 'setData', path: r.string(), data: r.bytes(), version: r.varInt32() };
    case OP_TAGS.check:
      return { type: 'check', path: r.string(), version: r.varInt32() };
    default:
      return r.fail(inMulti && tag >= OP_TAGS.multi && tag <= OP_TAGS.noop ? `op tag ${tag} not allowed inside a multi` : `unknown op tag ${tag}`);
  }
}
