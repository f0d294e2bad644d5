// What the message encoder and decoder share: the kinds of field they handle, how one value of
// each kind goes on the wire, which fields they leave to protobufjs, and the cache of their plans.
import * as protobuf from 'protobufjs';

export const enum Kind {
  Int32,
  Uint32,
  Sint32,
  Bool,
  Enum,
  Int64,
  Uint64,
  Sint64,
  Fixed32,
  Sfixed32,
  Float,
  Fixed64,
  Sfixed64,
  Double,
  String,
  Bytes,
  Message,
}

const SCALARS: Record<string, Kind> = {
  int32: Kind.Int32, uint32: Kind.Uint32, sint32: Kind.Sint32, bool: Kind.Bool,
  int64: Kind.Int64, uint64: Kind.Uint64, sint64: Kind.Sint64,
  fixed32: Kind.Fixed32, sfixed32: Kind.Sfixed32, float: Kind.Float,
  fixed64: Kind.Fixed64, sfixed64: Kind.Sfixed64, double: Kind.Double,
  string: Kind.String, bytes: Kind.Bytes,
};

export const TWO_32 = 4294967296;

/**
 * The kind of `field` (resolving its type), or null when the codecs leave it to protobufjs: a
 * map field, or a type they do not know.
 */
export function kindOf(field: protobuf.Field): Kind | null {
  field.resolve();
  if (field.map) return null;
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) return Kind.Message;
  if (resolved instanceof protobuf.Enum) return Kind.Enum;
  return Object.hasOwn(SCALARS, field.type) ? SCALARS[field.type] : null;
}

/** The wire type of one value of `kind`; the kinds whose values are not length-delimited pack. */
export function wireTypeOf(kind: Kind): number {
  switch (kind) {
    case Kind.Fixed64: case Kind.Sfixed64: case Kind.Double: return 1;
    case Kind.String: case Kind.Bytes: case Kind.Message: return 2;
    case Kind.Fixed32: case Kind.Sfixed32: case Kind.Float: return 5;
    default: return 0;
  }
}

/** google.protobuf types have JSON forms of their own in protobufjs: the codecs leave them to it. */
export function isWellKnown(type: protobuf.Type): boolean {
  return type.fullName.startsWith('.google.protobuf.');
}

/**
 * The codecs' compiled plans, cached per protobufjs root. `compile` enters a type's plan before
 * its fields (a type may contain itself) and null for a type it gives up on. When the type asked
 * for is given up on, the plans entered on the way are dropped again: one of them may hold the
 * unfinished plan of a type given up on (A holds B, B holds A, A has a map). Each is compiled
 * afresh when asked for on its own.
 */
export function cachedPlans<P>(compile: (type: protobuf.Type, plans: Map<protobuf.Type, P | null>) => P | null): (type: protobuf.Type) => P | null {
  const byRoot = new Map<protobuf.Root, Map<protobuf.Type, P | null>>();
  return (type) => {
    const root = type.root as protobuf.Root;
    let plans = byRoot.get(root);
    if (!plans) byRoot.set(root, (plans = new Map()));
    const known = plans.size;
    const plan = compile(type, plans);
    if (plan === null) {
      const entered = [...plans].slice(known); // a Map keeps insertion order
      for (const [t, p] of entered) if (p !== null) plans.delete(t);
    }
    return plan;
  };
}
