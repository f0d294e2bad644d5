// coord.peer.v1.PeerFrame read straight off the wire. proto-loader's deserializer decodes a
// protobufjs message and then copies it into a plain object (toObject), for every frame in both
// directions; on a write's path that is two or three frames per server, each ~10 µs in a busy
// server. The format is protobuf's: fields in any order, the last of a repeated scalar wins,
// unknown fields (a newer peer's) skipped; `batch` is a view of the received bytes, not a copy.
import { DecodeError } from '../tree/byte-reader';

/** The wire shape of coord.peer.v1.PeerFrame (what proto-loader would hand over). */
export interface PeerFrame {
  from: number;
  to: number;
  ensemble: string;
  batch: Buffer;
  /** Hello frames: the optional codec parts the sender reads (PEER_FEATURES); 0 from older builds. */
  features?: number;
}

const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;
const NO_BYTES = Buffer.alloc(0);

export function decodePeerFrame(buf: Buffer): PeerFrame {
  const frame: PeerFrame = { from: 0, to: 0, ensemble: '', batch: NO_BYTES, features: 0 };
  let at = 0;
  const fail = (what: string): never => {
    throw new DecodeError(`peer frame: ${what} at byte ${at}`);
  };
  // The low 32 bits of a varint of up to 10 bytes (uint32 fields, field keys).
  const varint32 = (): number => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      if (at >= buf.length) return fail('truncated varint');
      if (shift >= 70) return fail('varint longer than 10 bytes');
      const byte = buf[at++];
      if (shift < 32) value |= (byte & 0x7f) << shift;
      if (byte < 0x80) return value >>> 0;
    }
  };
  const lengthDelimited = (): [number, number] => {
    const length = varint32();
    if (length > buf.length - at) fail(`length ${length} past the end`);
    const start = at;
    at += length;
    return [start, at];
  };
  while (at < buf.length) {
    const key = varint32();
    const field = key >>> 3;
    const wireType = key & 7;
    if (field === 0) fail('field number 0');
    if (wireType === VARINT && (field === 1 || field === 2 || field === 5)) {
      const value = varint32();
      if (field === 1) frame.from = value;
      else if (field === 2) frame.to = value;
      else frame.features = value;
    } else if (wireType === LENGTH_DELIMITED && (field === 3 || field === 4)) {
      const [start, end] = lengthDelimited();
      if (field === 3) frame.ensemble = buf.toString('utf8', start, end);
      else frame.batch = buf.subarray(start, end);
    } else if (wireType === VARINT) varint32();
    else if (wireType === LENGTH_DELIMITED) lengthDelimited();
    else if (wireType === FIXED64) at += 8;
    else if (wireType === FIXED32) at += 4;
    else fail(`wire type ${wireType}`);
    if (at > buf.length) fail('truncated field');
  }
  return frame;
}
