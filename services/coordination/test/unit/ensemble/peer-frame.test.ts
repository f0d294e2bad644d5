// The peer stream's frames are read by a decoder of their own: it must read whatever a protobuf
// encoder may write (the build's own serializer, any gRPC peer's), the way proto-loader does,
// and refuse what is not protobuf with a DecodeError.
import { loadMethod } from '@ensemble/proto';
import { decodePeerFrame, type PeerFrame } from '../../../src/ensemble/peer-frame';
import { DecodeError } from '../../../src/tree/byte-reader';

const method = loadMethod<PeerFrame, PeerFrame>('coord/peer/v1/peer.proto', 'coord.peer.v1.Peer', 'Stream');

function varint(value: bigint): number[] {
  const out: number[] = [];
  let v = BigInt.asUintN(64, value);
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}
const key = (field: number, wireType: number): number[] => varint(BigInt((field << 3) | wireType));
const varintField = (field: number, value: bigint): number[] => [...key(field, 0), ...varint(value)];
const bytesField = (field: number, data: Buffer): number[] => [...key(field, 2), ...varint(BigInt(data.length)), ...data];

test('reads what the serializer writes exactly as proto-loader does', () => {
  const frames: PeerFrame[] = [
    { from: 1, to: 2, ensemble: '1,2,3', batch: Buffer.alloc(0), features: 1 },
    { from: 3, to: 1, ensemble: '1,2,3', batch: Buffer.from('items of the peer codec') },
    { from: 300, to: 4_294_967_295, ensemble: 'é,ü', batch: Buffer.alloc(70_000, 9), features: 0 },
    { from: 0, to: 0, ensemble: '', batch: Buffer.alloc(0) },
  ];
  for (const frame of frames) {
    const body = method.requestSerialize(frame);
    expect(decodePeerFrame(body)).toEqual(method.requestDeserialize(body));
  }
});

test('skips unknown fields of every wire type and known ones of the wrong type; the last of a field wins', () => {
  const body = Buffer.from([
    ...varintField(9, 123n),
    ...varintField(1, 5n),
    ...key(10, 1), ...Buffer.alloc(8, 1), // fixed64
    ...bytesField(3, Buffer.from('1,2')),
    ...key(12, 5), ...Buffer.alloc(4, 2), // fixed32
    ...bytesField(1, Buffer.from('not a uint32')), // field 1 sent as bytes: not this field
    ...bytesField(4, Buffer.from('first')),
    ...varintField(2, 7n),
    ...bytesField(4, Buffer.from('second')),
    ...bytesField(11, Buffer.from('from a newer peer')),
  ]);
  const frame = decodePeerFrame(body);
  expect(frame).toEqual({ from: 5, to: 7, ensemble: '1,2', batch: Buffer.from('second'), features: 0 });
  expect(frame.batch.buffer).toBe(body.buffer); // a view of the received bytes, not a copy
});

test('reads varints of up to 10 bytes into a uint32 field by their low 32 bits, as protobuf parsers do', () => {
  const body = Buffer.from([...varintField(1, -1n), ...varintField(2, (1n << 40n) + 6n)]);
  expect(decodePeerFrame(body)).toMatchObject({ from: 4_294_967_295, to: 6 });
});

test('refuses what is not a frame with a DecodeError', () => {
  const good = Buffer.from(method.requestSerialize({ from: 1, to: 2, ensemble: '1,2,3', batch: Buffer.from('batch') }));
  const malformed: Array<[string, Buffer]> = [
    ['cut inside the batch', good.subarray(0, good.length - 2)],
    ['cut inside a varint', Buffer.from([...key(1, 0), 0x80])],
    ['a varint of 11 bytes', Buffer.from([...key(1, 0), ...Array(10).fill(0xff), 0x01])],
    ['a length past the end', Buffer.from([...key(4, 2), 0x05, 0x01])],
    ['a fixed64 cut short', Buffer.from([...key(10, 1), 1, 2, 3])],
    ['a group (wire type 3)', Buffer.from(key(10, 3))],
    ['wire type 7', Buffer.from(key(10, 7))],
    ['field number 0', Buffer.from([0x00, 0x01])],
  ];
  for (const [what, body] of malformed) expect({ what, thrown: thrownBy(() => decodePeerFrame(body)) }).toEqual({ what, thrown: 'DecodeError' });
});

function thrownBy(fn: () => unknown): string {
  try {
    fn();
    return 'nothing';
  } catch (err) {
    return err instanceof DecodeError ? 'DecodeError' : String(err);
  }
}
