// Encoding a message given as a plain object. The serializers @grpc/proto-loader builds run
// protobufjs's fromObject first, which copies the object into message instances and makes a
// long.js object of every int64 (Request$fromObject alone was 14% of a watch fan-out client's
// profile; skipping it took about 5% off that client's CPU per round). Most messages need none
// of it, since numbers, strings, booleans and Buffers encode as they are. What does need
// converting is an enum given by name (the generated types use names), a map, or a well-known
// type with a JSON form, so the plain path is taken only when none of those is set anywhere in
// the object, and everything else goes through the full serializer.
import * as path from 'node:path';
import * as protobuf from 'protobufjs';
import { protoRoot } from './loader';

interface FieldCheck {
  name: string;
  repeated: boolean;
  /** Set means converting: an enum, a map, or a type protobufjs converts specially. */
  converts: boolean;
  /** The message type to look into, when the field holds one that may contain such a field. */
  sub: TypeCheck | null;
}

interface TypeCheck {
  /** Only the fields under which something to convert may be set. */
  fields: FieldCheck[];
}

const roots = new Map<string, protobuf.Root>();

function rootOf(file: string): protobuf.Root {
  let root = roots.get(file);
  if (!root) {
    const dir = protoRoot();
    root = new protobuf.Root();
    root.resolvePath = (_origin, target) => (path.isAbsolute(target) ? target : path.join(dir, target));
    root.loadSync(file);
    root.resolveAll();
    roots.set(file, root);
  }
  return root;
}

/** Whether setting a field of this type (directly) means converting. */
function convertsDirectly(field: protobuf.Field): boolean {
  if (field.map) return true;
  const t = field.resolvedType;
  if (t instanceof protobuf.Enum) return true;
  return t instanceof protobuf.Type && t.fullName.startsWith('.google.protobuf.');
}

/** Every message type reachable from `type`, itself included. */
function reachable(type: protobuf.Type): Set<protobuf.Type> {
  const seen = new Set<protobuf.Type>([type]);
  const queue = [type];
  for (let t = queue.pop(); t; t = queue.pop()) {
    for (const f of t.fieldsArray) {
      const sub = f.resolvedType;
      if (sub instanceof protobuf.Type && !seen.has(sub)) {
        seen.add(sub);
        queue.push(sub);
      }
    }
  }
  return seen;
}

function buildChecks(root: protobuf.Type): TypeCheck {
  const checks = new Map<protobuf.Type, TypeCheck>();
  const plain = new Map<protobuf.Type, boolean>();
  const isPlain = (t: protobuf.Type): boolean => {
    let known = plain.get(t);
    if (known === undefined) {
      known = [...reachable(t)].every((r) => r.fieldsArray.every((f) => !convertsDirectly(f)));
      plain.set(t, known);
    }
    return known;
  };
  const checkOf = (t: protobuf.Type): TypeCheck => {
    let check = checks.get(t);
    if (check) return check;
    check = { fields: [] };
    checks.set(t, check); // before the fields: a type may contain itself
    for (const f of t.fieldsArray) {
      const sub = f.resolvedType;
      if (convertsDirectly(f)) check.fields.push({ name: f.name, repeated: f.repeated, converts: true, sub: null });
      else if (sub instanceof protobuf.Type && !isPlain(sub)) check.fields.push({ name: f.name, repeated: f.repeated, converts: false, sub: checkOf(sub) });
    }
    return check;
  };
  return checkOf(root);
}

function needsConverting(check: TypeCheck, obj: Record<string, unknown>): boolean {
  for (const f of check.fields) {
    const value = obj[f.name];
    if (value === null || value === undefined) continue;
    if (f.converts || typeof value !== 'object') return true;
    if (f.repeated) {
      if (!Array.isArray(value)) return true;
      for (const item of value) if (item === null || typeof item !== 'object' || needsConverting(f.sub!, item as Record<string, unknown>)) return true;
    } else if (needsConverting(f.sub!, value as Record<string, unknown>)) {
      return true;
    }
  }
  return false;
}

/**
 * A serializer for `typeName` (of the .proto `file`, relative to protoRoot()) that encodes a
 * plain object directly when it needs no conversion, and calls `fallback` (the full serializer,
 * with fromObject) when it does. Both produce the same message.
 */
export function plainSerializer<T extends object>(file: string, typeName: string, fallback: (msg: T) => Buffer): (msg: T) => Buffer {
  const type = rootOf(file).lookupType(typeName);
  const check = buildChecks(type);
  return (msg) => (needsConverting(check, msg as Record<string, unknown>) ? fallback(msg) : (type.encode(msg).finish() as Buffer));
}
