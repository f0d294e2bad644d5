// Random messages of any protobufjs type, in every form fromObject accepts, for the codec tests:
// seeded, so that a failure names a seed that reproduces it.
import { Prng } from '@ensemble/consensus';
import * as protobuf from 'protobufjs';
import { protobufRoot } from '../src/loader';

export function typesOf(file: string): protobuf.Type[] {
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
export function rng(seed: number): () => number {
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

export function randomMessage(type: protobuf.Type, r: () => number, depth: number): Record<string, unknown> {
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

// Every scalar kind, packed and unpacked repeated fields, presence, a oneof and recursion: what
// the protocols of this repository do not happen to use yet.
export const SYNTHETIC = protobuf.Root.fromJSON({
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

