// The encoder must produce, for every message of the coordination and peer protocols, bytes that
// any protobuf decoder reads as the same message protobufjs (fromObject, then encode) produces,
// for every form of value fromObject accepts; and it must refuse what fromObject refuses.
import { Prng } from '@ensemble/consensus';
import * as protobuf from 'protobufjs';
import { loadMethod, protobufRoot } from '../../src/loader';
import { messageEncoder } from '../../src/message-encoder';
import type { ClientMessage } from '../../src/generated/coord/v1/ClientMessage';
import type { ServerMessage__Output } from '../../src/generated/coord/v1/ServerMessage';

const TO_OBJECT: protobuf.IConversionOptions = { longs: String, enums: String, bytes: String, defaults: true, oneofs: true };

function typesOf(file: string): protobuf.Type[] {
  const out: protobuf.Type[] = [];
  const walk = (ns: protobuf.NamespaceBase): void => {
    for (const nested of ns.nestedArray) {
      if (nested instanceof protobuf.Type) out.push(nested);
      if (nested instanceof protobuf.Namespace || nested instanceof protobuf.Type) walk(nested);
    }
  };
  walk(protobufRoot(file));
  return out.filter((t) => !t.fullName.startsWith('.google.'));
}

/** The simulator's seeded PRNG, so a failure names a seed that reproduces it. */
function rng(seed: number): () => number {
  const prng = new Prng(seed);
  return () => prng.next();
}

const INT64_EDGES = ['0', '1', '-1', '9007199254740993', '-9223372036854775808', '9223372036854775807'];
const UINT64_EDGES = ['0', '1', '18446744073709551615', '9007199254740993'];

/** A random value of a scalar field, in one of the forms fromObject accepts. */
function scalar(field: protobuf.Field, r: () => number): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const small = (): number => Math.floor(r() * 300) - (field.type.startsWith('u') || field.type.startsWith('fixed') ? 0 : 150);
  if (field.resolvedType instanceof protobuf.Enum) {
    const names = Object.keys(field.resolvedType.values);
    return r() < 0.7 ? pick(names) : field.resolvedType.values[pick(names)];
  }
  switch (field.type) {
    case 'int32': case 'sint32': case 'sfixed32':
      return pick([small(), -2147483648, 2147483647, 0]);
    case 'uint32': case 'fixed32':
      return pick([small(), 4294967295, 0, 128]);
    case 'int64': case 'sint64': case 'sfixed64': {
      const choice = r();
      if (choice < 0.4) return small() * 1_000_003;
      if (choice < 0.6) return -(2 ** 52) + Math.floor(r() * 1000);
      if (choice < 0.8) return pick(INT64_EDGES);
      return BigInt(pick(INT64_EDGES));
    }
    case 'uint64': case 'fixed64':
      return r() < 0.5 ? Math.floor(r() * 2 ** 53) : pick(UINT64_EDGES);
    case 'bool': return r() < 0.5;
    case 'double': return pick([r() * 1e6 - 5e5, 0, -0.5, 1e300]);
    case 'float': return pick([0.5, -2, 0, 1024.25]);
    case 'string': return pick(['', 'a', '/a/b/c', 'ünïcødé ✓', 'x'.repeat(200)]);
    case 'bytes': return r() < 0.8 ? Buffer.from(Array.from({ length: Math.floor(r() * 20) }, () => Math.floor(r() * 256))) : 'AAEC/w==';
    default: throw new Error(`no generator for ${field.type}`);
  }
}

function randomMessage(type: protobuf.Type, r: () => number, depth: number): Record<string, unknown> {
  const msg: Record<string, unknown> = {};
  const oneofMembers = new Set(type.oneofsArray.flatMap((o) => o.fieldsArray));
  for (const oneof of type.oneofsArray) {
    if (r() < 0.3) continue;
    const member = oneof.fieldsArray[Math.floor(r() * oneof.fieldsArray.length)];
    msg[member.name] = valueOf(member, r, depth);
  }
  for (const field of type.fieldsArray) {
    if (oneofMembers.has(field) || r() < 0.25) continue;
    msg[field.name] = valueOf(field, r, depth);
  }
  return msg;
}

function valueOf(field: protobuf.Field, r: () => number, depth: number): unknown {
  field.resolve();
  const one = (): unknown => (field.resolvedType instanceof protobuf.Type
    ? (depth >= 2 ? {} : randomMessage(field.resolvedType, r, depth + 1))
    : scalar(field, r));
  if (!field.repeated) return one();
  return Array.from({ length: Math.floor(r() * 4) }, one);
}

/** What a decoder makes of `bytes`, as a comparable plain object. */
function decoded(type: protobuf.Type, bytes: Uint8Array): unknown {
  return type.toObject(type.decode(bytes), TO_OBJECT);
}

function protobufjsEncode(type: protobuf.Type, msg: object): Uint8Array {
  return type.encode(type.fromObject(msg)).finish();
}

// Every scalar kind, packed and unpacked repeated fields, presence, a oneof and recursion: what
// the protocols of this repository do not happen to use yet.
const SYNTHETIC = protobuf.Root.fromJSON({
  nested: {
    t: {
      nested: {
        Color: { values: { RED: 0, GREEN: 1, BLUE: -2 } },
        All: {
          oneofs: { pick: { oneof: ['pickName', 'pickAll'] } },
          fields: {
            i32: { type: 'int32', id: 1 }, u32: { type: 'uint32', id: 2 }, s32: { type: 'sint32', id: 3 },
            i64: { type: 'int64', id: 4 }, u64: { type: 'uint64', id: 5 }, s64: { type: 'sint64', id: 6 },
            f32: { type: 'fixed32', id: 7 }, sf32: { type: 'sfixed32', id: 8 }, f64: { type: 'fixed64', id: 9 },
            sf64: { type: 'sfixed64', id: 10 }, flt: { type: 'float', id: 11 }, dbl: { type: 'double', id: 12 },
            yes: { type: 'bool', id: 13 }, name: { type: 'string', id: 14 }, raw: { type: 'bytes', id: 15 },
            color: { type: 'Color', id: 16 },
            packedS64: { rule: 'repeated', type: 'sint64', id: 17 },
            unpackedI32: { rule: 'repeated', type: 'int32', id: 18, options: { packed: false } },
            colors: { rule: 'repeated', type: 'Color', id: 19 },
            names: { rule: 'repeated', type: 'string', id: 20 },
            child: { type: 'All', id: 21 },
            children: { rule: 'repeated', type: 'All', id: 22 },
            pickName: { type: 'string', id: 23 },
            pickAll: { type: 'All', id: 24 },
            big: { type: 'uint32', id: 3000 },
          },
        },
      },
    },
  },
});
SYNTHETIC.resolveAll();

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
