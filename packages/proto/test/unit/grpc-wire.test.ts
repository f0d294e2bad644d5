// gRPC's message framing: DATA chunks split messages anywhere, and the deframer must hand back
// exactly the messages that were framed, and refuse what these streams never send
// (compression) or cannot hold (over the size limit).
import * as zlib from 'node:zlib';
import {
  frameMessage, GRPC_STATUS, MESSAGE_HEADER_BYTES, MessageDeframer, messageEncodingOf, readStatus, statusTrailers, WireError,
} from '../../src/grpc-wire';

const bodies = [Buffer.from('first'), Buffer.alloc(0), Buffer.alloc(70_000, 7), Buffer.from([1, 2, 3])];
const wire = Buffer.concat(bodies.map(frameMessage));

test('a frame is a zero flag, the big-endian length, then the body', () => {
  expect([...frameMessage(Buffer.from('ab'))]).toEqual([0, 0, 0, 0, 2, 0x61, 0x62]);
});

test('messages come back whole and in order however the chunks cut them', () => {
  for (const cut of [1, 2, 4, 5, 6, 1000, 65_536, wire.length]) {
    const d = new MessageDeframer(1 << 20);
    const out: Buffer[] = [];
    for (let at = 0; at < wire.length; at += cut) out.push(...d.push(wire.subarray(at, at + cut)));
    expect(out).toEqual(bodies);
    expect(d.pending).toBe(0);
  }
});

test('an incomplete message is held until the rest arrives', () => {
  const d = new MessageDeframer(1 << 20);
  const framed = frameMessage(Buffer.from('hello'));
  expect(d.push(framed.subarray(0, 7))).toEqual([]);
  expect(d.pending).toBe(2);
  expect(d.push(framed.subarray(7))).toEqual([Buffer.from('hello')]);
});

test('a compressed message is refused: no compression is negotiated', () => {
  const framed = frameMessage(Buffer.from('x'));
  framed[0] = 1;
  const d = new MessageDeframer(1 << 20);
  expect(() => d.push(framed)).toThrow(WireError);
  expect(() => new MessageDeframer(1 << 20).push(framed)).toThrow(/compressed/);
});

test('an oversized message is refused from its header, before its body is buffered', () => {
  const header = Buffer.alloc(MESSAGE_HEADER_BYTES);
  header.writeUInt32BE(1025, 1);
  const d = new MessageDeframer(1024);
  let err: unknown;
  try {
    d.push(header);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(WireError);
  expect((err as WireError).status).toBe(GRPC_STATUS.RESOURCE_EXHAUSTED); // as gRPC answers an oversized message
  expect((err as WireError).message).toMatch(/1025 bytes exceeds the limit of 1024/);
  expect(new MessageDeframer(1024).push(frameMessage(Buffer.alloc(1024)))).toHaveLength(1);
});

test('status trailers percent-encode the message and read back as sent', () => {
  const trailers = statusTrailers(GRPC_STATUS.FAILED_PRECONDITION, 'peer 4 has members 1,2,4: 100% wrong\n–');
  expect(trailers['grpc-message']).toBe('peer 4 has members 1,2,4: 100%25 wrong%0A%E2%80%93');
  expect(readStatus(trailers as Record<string, string>)).toEqual({ status: 9, message: 'peer 4 has members 1,2,4: 100% wrong\n–' });
  expect(readStatus({})).toBeNull();
  expect(readStatus({ 'grpc-status': '13', 'grpc-message': 'bad %zz' })).toEqual({ status: 13, message: 'bad %zz' });
});

function compressedFrame(body: Buffer): Buffer {
  const framed = frameMessage(body);
  framed[0] = 1;
  return framed;
}

test('a call that announced gzip or deflate may send compressed messages, mixed with plain ones', () => {
  const text = Buffer.from('hello '.repeat(100));
  for (const [encoding, compress] of [['gzip', zlib.gzipSync], ['deflate', zlib.deflateSync]] as const) {
    const d = new MessageDeframer(1 << 20, encoding);
    expect(d.push(Buffer.concat([compressedFrame(compress(text)), frameMessage(Buffer.from('plain'))]))).toEqual([text, Buffer.from('plain')]);
  }
});

test('a compressed message that inflates past the limit, or does not inflate, is refused', () => {
  const bomb = zlib.gzipSync(Buffer.alloc(64 * 1024));
  let err: unknown;
  try {
    new MessageDeframer(1024, 'gzip').push(compressedFrame(bomb));
  } catch (e) {
    err = e;
  }
  expect(err).toMatchObject({ status: GRPC_STATUS.RESOURCE_EXHAUSTED, message: expect.stringContaining('inflates past the limit of 1024') });
  expect(() => new MessageDeframer(1024, 'deflate').push(compressedFrame(Buffer.from('not deflate')))).toThrow(/cannot deflate-decompress/);
});

test('the encodings a call announces: identity when none, null for one this code cannot read', () => {
  expect(messageEncodingOf({})).toBe('identity');
  expect(messageEncodingOf({ 'grpc-encoding': 'gzip' })).toBe('gzip');
  expect(messageEncodingOf({ 'grpc-encoding': 'deflate' })).toBe('deflate');
  expect(messageEncodingOf({ 'grpc-encoding': 'snappy' })).toBeNull();
});
