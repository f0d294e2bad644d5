// The encoder must produce, for every message of the coordination and peer protocols, bytes that
// any protobuf decoder reads as the same message protobufjs (fromObject, then encode) produces,
// for every form of value fromObject accepts; and it must refuse what fromObject refuses.
import * as protobuf from 'protobufjs';
import { loadMethod, protobufRoot } from '../../src/loader';
import { messageEncoder } from '../../src/message-encoder';
import { randomMessage, rng, SYNTHETIC, typesOf } from '../random-messages';
import type { ClientMessage } from '../../src/generated/coord/v1/ClientMessage';
import type { ServerMessage__Output } from '../../src/generated/coord/v1/ServerMessage';

const TO_OBJECT: protobuf.IConversionOptions = { longs: String, enums: String, bytes: String, defaults: true, oneofs: true };

/** What a decoder makes of `bytes`, as a comparable plain object. */
function decoded(type: protobuf.Type, bytes: Uint8Array): unknown {
  return type.toObject(type.decode(bytes), TO_OBJECT);
}

function protobufjsEncode(type: protobuf.Type, msg: object): Uint8Array {
  return type.encode(type.fromObject(msg)).finish();
}

test('every scalar kind, repeated form, oneof and recursion decodes to what protobufjs encodes (500 seeds)', () => {
  const type = SYNTHETIC.lookupType('t.All');
  const encoder = messageEncoder<object>(type)!;
  for (let seed = 1; seed <= 500; seed++) {
    const msg = randomMessage(type, rng(seed), 0);
    try {
      expect(decoded(type, encoder.encode(msg))).toEqual(decoded(type, protobufjsEncode(type, msg)));
    } catch (err) {
      throw new Error(`seed ${seed}: ${(err as Error).message}`);
    }
  }
  // An enum name fromObject does not know leaves the field at its default, as there.
  const unknown = { color: 'PURPLE', i32: -1 };
  expect(decoded(type, encoder.encode(unknown))).toEqual(decoded(type, protobufjsEncode(type, unknown)));
});

describe.each(['coord/v1/coord.proto', 'coord/peer/v1/peer.proto'])('%s', (file) => {
  const types = typesOf(file);

  test('every message type compiles', () => {
    for (const type of types) expect(messageEncoder(type)).not.toBeNull();
  });

  test('random messages of every type decode to what protobufjs encodes (200 seeds per type)', () => {
    for (const type of types) {
      const encoder = messageEncoder<object>(type)!;
      for (let seed = 1; seed <= 200; seed++) {
        const msg = randomMessage(type, rng(seed), 0);
        const ours = encoder.encode(msg);
        const theirs = protobufjsEncode(type, msg);
        try {
          expect(decoded(type, ours)).toEqual(decoded(type, theirs));
        } catch (err) {
          throw new Error(`${type.fullName}, seed ${seed}: ${(err as Error).message}`);
        }
      }
    }
  });
});

describe('coord.v1 session messages', () => {
  const method = loadMethod<ClientMessage, ServerMessage__Output>('coord/v1/coord.proto', 'coord.v1.Coordination', 'Session');
  const server = protobufRoot('coord/v1/coord.proto').lookupType('coord.v1.ServerMessage');

  test('a setData answer is the same message as protobufjs makes', () => {
    const answer = {
      response: {
        xid: 2 ** 40 + 3, zxid: 77, error: 'OK',
        setData: { stat: { czxid: 5, mzxid: 77, pzxid: 5, ctime: 1_700_000_000_000, mtime: 1_700_000_000_123, version: 12, cversion: 0, aversion: 0, ephemeralOwner: 2 ** 50 + 1, dataLength: 100, numChildren: 0 } },
      },
    };
    const plain = messageEncoder<object>(server)!.encode(answer);
    expect(decoded(server, plain)).toEqual(decoded(server, protobufjsEncode(server, answer)));
  });

  test('the serializers loadMethod hands out are the compiled ones, readable by proto-loader', () => {
    const msg: ClientMessage = { request: { xid: 9, create: { path: '/e', data: Buffer.from('x'), mode: 'EPHEMERAL_SEQUENTIAL', ttlMs: 0 } } };
    const bytes = method.requestSerialize(msg);
    expect(method.requestDeserialize(bytes)).toMatchObject({ request: { xid: 9, create: { path: '/e', mode: 'EPHEMERAL_SEQUENTIAL' } } });
    // An empty message in a oneof is still sent: a ping must reach the server as a ping.
    expect(method.requestDeserialize(method.requestSerialize({ ping: {} }))).toMatchObject({ kind: 'ping' });
  });

  test('fields at their default are left out unless they track presence', () => {
    const client = protobufRoot('coord/v1/coord.proto').lookupType('coord.v1.ClientMessage');
    const encode = messageEncoder<object>(client)!.encode;
    const withZeros = encode({ request: { xid: 0, setData: { path: '', data: Buffer.alloc(0) } } });
    const absent = encode({ request: { setData: {} } });
    expect(withZeros).toEqual(absent);
    // `optional int32 version`: 0 is a version to check, not "any version".
    const versioned = client.toObject(client.decode(encode({ request: { setData: { path: '/a', version: 0 } } })), TO_OBJECT) as { request: { setData: Record<string, unknown> } };
    expect(versioned.request.setData.version).toBe(0);
    const unversioned = client.decode(encode({ request: { setData: { path: '/a' } } })) as unknown as { request: { setData: object } };
    expect(Object.prototype.hasOwnProperty.call(unversioned.request.setData, 'version')).toBe(false);
  });

  test('what fromObject refuses is refused, with its message', () => {
    const client = protobufRoot('coord/v1/coord.proto').lookupType('coord.v1.ClientMessage');
    const encode = messageEncoder<object>(client)!.encode;
    for (const bad of [{ request: 'not an object' }, { batch: { messages: 'nor an array' } }, { request: { xid: 'twelve' } }]) {
      let theirs = '';
      try {
        protobufjsEncode(client, bad);
      } catch (err) {
        theirs = (err as Error).message;
      }
      expect(() => encode(bad)).toThrow(TypeError);
      if (theirs) expect(() => encode(bad)).toThrow(theirs);
    }
    expect(() => encode('a string' as unknown as object)).toThrow(/object expected/);
  });
});

test('a type with a map field is left to protobufjs', () => {
  const withMap = typesOf('rm/v1/rm.proto').filter((t) => t.fieldsArray.some((f) => f.map));
  expect(withMap.length).toBeGreaterThan(0);
  for (const type of withMap) expect(messageEncoder(type)).toBeNull();
});

test('a type that holds, through a cycle, a type left to protobufjs is left to it too', () => {
  // A holds B, B holds A, and A also has a map: B must not keep a half-built plan of A.
  const root = protobuf.parse('syntax = "proto3"; package c; message A { B b = 1; map<string, string> m = 2; } message B { A a = 1; int32 x = 2; }').root;
  expect(messageEncoder(root.lookupType('c.A'))).toBeNull();
  expect(messageEncoder(root.lookupType('c.B'))).toBeNull();
});
