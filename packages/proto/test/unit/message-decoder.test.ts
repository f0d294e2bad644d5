// The decoder must return, for every message of the coordination and peer protocols, exactly the
// object proto-loader's deserializer returns (LOADER_OPTIONS: longs as numbers, enums as names,
// defaults, oneof names), and refuse malformed input with a MessageDecodeError.
import * as protobuf from 'protobufjs';
import { loadMethod, LOADER_OPTIONS } from '../../src/loader';
import { MessageDecodeError, messageDecoder } from '../../src/message-decoder';
import { messageEncoder } from '../../src/message-encoder';
import { randomMessage, rng, SYNTHETIC, typesOf } from '../random-messages';

/** What proto-loader hands a service for `bytes`. */
function protoLoaderDecode(type: protobuf.Type, bytes: Uint8Array): unknown {
  return type.toObject(type.decode(bytes), LOADER_OPTIONS as protobuf.IConversionOptions);
}

/** Encodes each message (with protobufjs unless told otherwise) and compares both decodings. */
function expectSameAsProtoLoader(type: protobuf.Type, messages: Iterable<[string, object]>, encode = (msg: object): Uint8Array => type.encode(type.fromObject(msg)).finish()): void {
  const decoder = messageDecoder(type)!;
  for (const [name, msg] of messages) {
    const bytes = Buffer.from(encode(msg));
    try {
      expect(decoder.decode(bytes)).toStrictEqual(protoLoaderDecode(type, bytes));
    } catch (err) {
      throw new Error(`${type.fullName}, ${name}: ${(err as Error).message}`);
    }
  }
}

function* seeds(type: protobuf.Type, count: number): Iterable<[string, object]> {
  for (let seed = 1; seed <= count; seed++) yield [`seed ${seed}`, randomMessage(type, rng(seed), 0)];
}

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n % 128) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

/** A field's key: its number and wire type, as varint bytes. */
function key(field: number, wireType: number): number[] {
  return varint(field * 8 + wireType);
}

test('every scalar kind, repeated form, oneof and recursion decodes as proto-loader does (500 seeds)', () => {
  const type = SYNTHETIC.lookupType('t.All');
  expectSameAsProtoLoader(type, seeds(type, 500));
  // Defaults all round, and 64-bit values past 2^53, rounded the way protobufjs rounds them.
  expectSameAsProtoLoader(type, [
    ['empty', {}],
    ['big', { i64: '-9223372036854775808', u64: '18446744073709551615', s64: '9007199254740993', f64: '9007199254740995', sf64: '-9007199254740995' }],
  ]);
});

describe.each(['coord/v1/coord.proto', 'coord/peer/v1/peer.proto'])('%s', (file) => {
  const types = typesOf(file);

  test('every message type compiles', () => {
    for (const type of types) expect(messageDecoder(type)).not.toBeNull();
  });

  test('random messages of every type decode as proto-loader does (200 seeds per type)', () => {
    for (const type of types) expectSameAsProtoLoader(type, seeds(type, 200));
  });
});

describe('coord.v1 session messages', () => {
  const method = loadMethod<object, object>('coord/v1/coord.proto', 'coord.v1.Coordination', 'Session');

  test('loadMethod deserializes with the decoder, on both sides of the stream', () => {
    const request = method.requestSerialize({ request: { xid: 2 ** 40 + 1, setData: { path: '/a/é', data: Buffer.from('xyz'), version: -1 } } });
    expect(method.requestDeserialize(request)).toStrictEqual({
      request: { xid: 2 ** 40 + 1, setData: { path: '/a/é', data: Buffer.from('xyz'), version: -1, _version: 'version' }, op: 'setData' },
      kind: 'request',
    });
    const response = method.responseSerialize({ response: { xid: 7, zxid: 9, error: 'BAD_VERSION', errorMessage: 'no' } });
    expect(method.responseDeserialize(response)).toStrictEqual({ response: { xid: 7, zxid: 9, error: 'BAD_VERSION', errorMessage: 'no' }, kind: 'response' });
    // Where the two differ: proto-loader keeps both members of a oneof sent twice, we keep the last.
    const pingThenClose = Buffer.from([...key(3, 2), 0, ...key(4, 2), 0]);
    expect(method.requestDeserialize(pingThenClose)).toStrictEqual({ close: {}, kind: 'close' });
  });

  test('bytes are a view of the received buffer; absent ones are empty', () => {
    const bytes = method.requestSerialize({ request: { setData: { path: '/a', data: Buffer.from('payload') } } });
    const view = (method.requestDeserialize(bytes) as { request: { setData: { data: Buffer } } }).request.setData.data;
    expect(view.buffer).toBe(bytes.buffer);
    const none = method.requestDeserialize(method.requestSerialize({ request: { setData: { path: '/a' } } })) as { request: { setData: { data: Buffer } } };
    expect(none.request.setData.data).toStrictEqual(Buffer.alloc(0));
  });
});

describe('the wire, beyond what encoders write', () => {
  const type = SYNTHETIC.lookupType('t.All');
  const decode = messageDecoder<Record<string, unknown>>(type)!.decode;

  test('unknown fields of every wire type, groups included, are skipped', () => {
    const bytes = Buffer.from([
      ...key(900, 0), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, // a 10-byte varint
      ...key(901, 1), 1, 2, 3, 4, 5, 6, 7, 8,
      ...key(902, 2), 3, 9, 9, 9,
      ...key(903, 5), 1, 2, 3, 4,
      ...key(904, 3), ...key(1, 0), 5, ...key(2, 3), ...key(2, 4), ...key(904, 4), // a group holding a group
      ...key(1, 0), 42,
    ]);
    expect(decode(bytes)).toMatchObject({ i32: 42 });
  });

  test('a known field sent with another wire type is skipped, not misread', () => {
    expect(decode(Buffer.from([...key(14, 0), 5, ...key(1, 0), 7]))).toMatchObject({ name: '', i32: 7 });
  });

  test('the last value of a field wins, and the last member of a oneof clears the others', () => {
    expect(decode(Buffer.from([...key(1, 0), 1, ...key(1, 0), 2]))).toMatchObject({ i32: 2 });
    const both = decode(Buffer.from([...key(23, 2), 1, 0x61, ...key(24, 2), 0]));
    expect(both.pick).toBe('pickAll');
    expect(both).not.toHaveProperty('pickName');
  });

  test('repeated numbers are read packed and unpacked, in one field', () => {
    // sint64 (zigzag): 2 -> 1, 3 -> -2; then one unpacked 4 -> 2
    expect(decode(Buffer.from([...key(17, 2), 2, 2, 3, ...key(17, 0), 4]))).toMatchObject({ packedS64: [1, -2, 2] });
    expect(decode(Buffer.from([...key(18, 2), 2, 5, 6, ...key(18, 0), 7]))).toMatchObject({ unpackedI32: [5, 6, 7] });
  });

  test('an enum number this build does not know stays a number', () => {
    expect(decode(Buffer.from([...key(16, 0), 9]))).toMatchObject({ color: 9 });
  });

  test.each([
    ['cut short in a varint', [...key(1, 0), 0x80]],
    ['a varint of 11 bytes', [...key(1, 0), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]],
    ['a length past the end', [...key(14, 2), 5, 0x61]],
    ['a nested message past its parent', [...key(21, 2), 2, ...key(14, 2), 3, 0x61, 0x62, 0x63]],
    ['a packed value past its field', [...key(17, 2), 1, 0x80]],
    ['field number 0', [0x00, 1]],
    ['wire type 7', [...key(1, 7)]],
    ['a group with no end', [...key(904, 3), ...key(1, 0), 5]],
    ['a fixed64 cut short', [...key(9, 1), 1, 2, 3]],
  ])('%s is refused with a MessageDecodeError', (_what, bytes) => {
    expect(() => decode(Buffer.from(bytes))).toThrow(MessageDecodeError);
  });

  test('messages nested past the limit are refused, not a stack overflow', () => {
    let inner = Buffer.alloc(0);
    for (let i = 0; i < 150; i++) inner = Buffer.concat([Buffer.from([...key(21, 2), ...varint(inner.length)]), inner]);
    expect(() => decode(inner)).toThrow(/nested deeper/);
  });
});

test('a type with a map field is left to proto-loader', () => {
  const withMap = typesOf('rm/v1/rm.proto').filter((t) => t.fieldsArray.some((f) => f.map));
  expect(withMap.length).toBeGreaterThan(0);
  for (const type of withMap) expect(messageDecoder(type)).toBeNull();
  // ...and so is every type that holds one; the rest of rm.v1 decodes as proto-loader does.
  for (const type of typesOf('rm/v1/rm.proto')) {
    if (messageDecoder(type) !== null) expectSameAsProtoLoader(type, seeds(type, 20));
  }
});

test('a type that holds, through a cycle, a type left to proto-loader is left to it too', () => {
  // A holds B, B holds A, and A also has a map: B must not keep a half-built plan of A.
  const root = protobuf.parse('syntax = "proto3"; package c; message A { B b = 1; map<string, string> m = 2; } message B { A a = 1; int32 x = 2; }').root;
  expect(messageDecoder(root.lookupType('c.A'))).toBeNull();
  expect(messageDecoder(root.lookupType('c.B'))).toBeNull();
});

test('the encoder and the decoder agree on every coord.v1 type', () => {
  for (const type of typesOf('coord/v1/coord.proto')) expectSameAsProtoLoader(type, seeds(type, 50), messageEncoder<object>(type)!.encode);
});
