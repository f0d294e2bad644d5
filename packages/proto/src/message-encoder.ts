// Protobuf encoding of plain objects straight into one Buffer. The serializers
// @grpc/proto-loader builds run protobufjs's fromObject (a message instance per object, a
// long.js object per int64), then its Writer, which queues an operation object per field and a
// state per nested message before copying it all out: about 1.2 KB of garbage for one
// setData answer, the largest single share of a busy server's allocation. Here a first pass
// measures every nested message, a second writes the bytes; the only allocation is the result.
//
// Accepts what fromObject accepts for the values this codebase and its users pass: numbers,
// decimal strings, bigints or long.js objects for 64-bit fields; enum names or numbers; Buffers,
// Uint8Arrays or base64 strings for bytes. It refuses what fromObject refuses (a non-object
// where a message goes, a non-array where a repeated field goes), with the same TypeError
// message; it also refuses a 64-bit value that is no integer, which fromObject writes as 0. Fields at their default value are left out unless they track presence (oneof
// members, proto3 `optional`), which decodes to the same message as protobufjs's output.
// Types with map fields or google.protobuf types (which have JSON forms) are not compiled:
// their serializers stay protobufjs's.
import * as protobuf from 'protobufjs';
import { cachedPlans, isWellKnown, Kind, kindOf, TWO_32, wireTypeOf } from './field-kinds';

interface FieldPlan {
  name: string;
  /** How errors name the field, as fromObject does: `.package.Type.field`. */
  what: string;
  kind: Kind;
  /** The field's key (number and wire type) as varint bytes. */
  key: number[];
  repeated: boolean;
  packed: boolean;
  /** Written whenever set, even at the default value (oneof members, proto3 `optional`). */
  presence: boolean;
  enumValues: Record<string, number> | null;
  message: TypePlan | null;
}

interface TypePlan {
  fullName: string;
  fields: FieldPlan[];
  /** The type's own measuring and writing functions, generated on first use (see generated()). */
  code: TypeCode | null;
}

interface TypeCode {
  size(obj: Record<string, unknown>): number;
  write(buf: Buffer, pos: number, obj: Record<string, unknown>): number;
}

/** 64-bit values as two unsigned 32-bit halves, written by the last splitLong call. */
let lo = 0;
let hi = 0;

function splitLong(value: unknown, what: string): void {
  if (typeof value === 'number') {
    const n = Math.trunc(value);
    const abs = Math.abs(n);
    lo = abs >>> 0;
    hi = Math.floor(abs / TWO_32) >>> 0;
    if (n < 0) negate();
    return;
  }
  if (typeof value === 'string' || typeof value === 'bigint') {
    let big: bigint;
    try {
      big = BigInt(value);
    } catch {
      throw new TypeError(`${what}: integer expected`);
    }
    const bits = BigInt.asUintN(64, big);
    lo = Number(bits & 0xffffffffn);
    hi = Number(bits >> 32n);
    return;
  }
  if (value !== null && typeof value === 'object' && typeof (value as { low?: unknown }).low === 'number') {
    lo = (value as { low: number }).low >>> 0;
    hi = (value as { high: number }).high >>> 0;
    return;
  }
  throw new TypeError(`${what}: integer expected`);
}

function negate(): void {
  lo = (~lo + 1) >>> 0;
  hi = (~hi + (lo === 0 ? 1 : 0)) >>> 0;
}

function zigzag64(): void {
  const mask = hi >> 31;
  hi = (((hi << 1) | (lo >>> 31)) ^ mask) >>> 0;
  lo = ((lo << 1) ^ mask) >>> 0;
}

function varint64Size(): number {
  if (hi === 0) return varint32Size(lo);
  let size = 5;
  for (let h = hi >>> 3; h !== 0; h >>>= 7) size++;
  return size;
}

function varint32Size(v: number): number {
  if (v < 0x80) return 1;
  if (v < 0x4000) return 2;
  if (v < 0x200000) return 3;
  if (v < 0x10000000) return 4;
  return 5;
}

function keyBytes(id: number, wireType: number): number[] {
  const out: number[] = [];
  let v = (id << 3 | wireType) >>> 0;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return out;
}

/** The plan for `type`, or null when it (or a type it contains) has a map or a well-known type. */
function compile(type: protobuf.Type, plans: Map<protobuf.Type, TypePlan | null>): TypePlan | null {
  if (plans.has(type)) return plans.get(type) ?? null;
  if (isWellKnown(type)) {
    plans.set(type, null);
    return null;
  }
  const plan: TypePlan = { fullName: type.fullName.slice(1), fields: [], code: null };
  plans.set(type, plan); // before the fields: a type may contain itself
  for (const field of [...type.fieldsArray].sort((a, b) => a.id - b.id)) {
    const kind = kindOf(field);
    if (kind === null) return fail(type, plans);
    let message: TypePlan | null = null;
    if (kind === Kind.Message) {
      message = compile(field.resolvedType as protobuf.Type, plans);
      if (message === null) return fail(type, plans);
    }
    const enumValues = kind === Kind.Enum ? (field.resolvedType as protobuf.Enum).values : null;
    const packed = field.repeated && field.packed && wireTypeOf(kind) !== 2;
    plan.fields.push({
      name: field.name, what: `${type.fullName}.${field.name}`, kind, key: keyBytes(field.id, packed ? 2 : wireTypeOf(kind)), repeated: field.repeated, packed,
      presence: field.partOf !== null, enumValues, message,
    });
  }
  return plan;
}

function fail(type: protobuf.Type, plans: Map<protobuf.Type, TypePlan | null>): null {
  plans.set(type, null);
  return null;
}

// ---- measuring ----

/** Sizes of nested messages, in the order the writer meets them (reused between calls). */
const sizes: number[] = [];

function isDefault(kind: Kind, value: unknown): boolean {
  switch (kind) {
    case Kind.String: return value === '';
    case Kind.Bytes: return (value as { length: number }).length === 0;
    case Kind.Bool: return value === false;
    case Kind.Message: return false;
    case Kind.Int64: case Kind.Uint64: case Kind.Sint64: case Kind.Fixed64: case Kind.Sfixed64:
      return value === 0 || value === '0' || value === 0n || (typeof value === 'object' && value !== null && (value as { low: number }).low === 0 && (value as { high: number }).high === 0);
    default: return value === 0;
  }
}

function scalarSize(f: FieldPlan, value: unknown, what: string): number {
  switch (f.kind) {
    case Kind.Int32: {
      const v = Number(value) | 0;
      return v < 0 ? 10 : varint32Size(v);
    }
    case Kind.Uint32: return varint32Size(Number(value) >>> 0);
    case Kind.Sint32: {
      const v = Number(value) | 0;
      return varint32Size(((v << 1) ^ (v >> 31)) >>> 0);
    }
    case Kind.Bool: return 1;
    case Kind.Enum: {
      const v = enumNumber(f, value);
      return v < 0 ? 10 : varint32Size(v);
    }
    case Kind.Int64: case Kind.Uint64:
      splitLong(value, what);
      return varint64Size();
    case Kind.Sint64:
      splitLong(value, what);
      zigzag64();
      return varint64Size();
    case Kind.Fixed32: case Kind.Sfixed32: case Kind.Float: return 4;
    case Kind.Fixed64: case Kind.Sfixed64: case Kind.Double: return 8;
    default: throw new Error(`not a scalar kind: ${f.kind}`);
  }
}

function enumNumber(f: FieldPlan, value: unknown): number {
  if (typeof value === 'number') return value | 0;
  const known = f.enumValues![value as string];
  return known === undefined ? 0 : known; // fromObject leaves an unknown name at the default
}

/** The bytes of a bytes field's value: a Buffer or Uint8Array as it is, base64 or an array of bytes decoded. */
function bytesOf(value: unknown, what: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return Buffer.from(value, 'base64');
  if (Array.isArray(value)) return Uint8Array.from(value as number[]);
  throw new TypeError(`${what}: buffer expected`);
}

function lengthDelimitedSize(payload: number): number {
  return varint32Size(payload) + payload;
}

function fieldSize(f: FieldPlan, value: unknown, what: string): number {
  switch (f.kind) {
    case Kind.String: return lengthDelimitedSize(Buffer.byteLength(typeof value === 'string' ? value : String(value)));
    case Kind.Bytes: return lengthDelimitedSize(bytesOf(value, what).length);
    case Kind.Message: {
      if (typeof value !== 'object') throw new TypeError(`${what}: object expected`);
      const slot = sizes.length;
      sizes.push(0);
      const size = messageSize(f.message!, value as Record<string, unknown>);
      sizes[slot] = size;
      return lengthDelimitedSize(size);
    }
    default: return scalarSize(f, value, what);
  }
}

function messageSize(plan: TypePlan, obj: Record<string, unknown>): number {
  return (plan.code ??= generated(plan)).size(obj);
}

// ---- writing ----

let cursor = 0; // the next entry of `sizes`

function writeVarint32(buf: Buffer, pos: number, v: number): number {
  while (v > 0x7f) {
    buf[pos++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[pos++] = v;
  return pos;
}

function writeVarint64(buf: Buffer, pos: number): number {
  let l = lo;
  let h = hi;
  while (h !== 0 || l > 0x7f) {
    buf[pos++] = (l & 0x7f) | 0x80;
    l = ((l >>> 7) | (h << 25)) >>> 0;
    h >>>= 7;
  }
  buf[pos++] = l;
  return pos;
}

function writeSignedVarint32(buf: Buffer, pos: number, v: number): number {
  if (v >= 0) return writeVarint32(buf, pos, v);
  lo = v >>> 0;
  hi = 0xffffffff;
  return writeVarint64(buf, pos);
}

function writeScalar(buf: Buffer, pos: number, f: FieldPlan, value: unknown, what: string): number {
  switch (f.kind) {
    case Kind.Int32: return writeSignedVarint32(buf, pos, Number(value) | 0);
    case Kind.Uint32: return writeVarint32(buf, pos, Number(value) >>> 0);
    case Kind.Sint32: {
      const v = Number(value) | 0;
      return writeVarint32(buf, pos, ((v << 1) ^ (v >> 31)) >>> 0);
    }
    case Kind.Bool:
      buf[pos] = value ? 1 : 0;
      return pos + 1;
    case Kind.Enum: return writeSignedVarint32(buf, pos, enumNumber(f, value));
    case Kind.Int64: case Kind.Uint64:
      splitLong(value, what);
      return writeVarint64(buf, pos);
    case Kind.Sint64:
      splitLong(value, what);
      zigzag64();
      return writeVarint64(buf, pos);
    case Kind.Fixed32: return buf.writeUInt32LE(Number(value) >>> 0, pos);
    case Kind.Sfixed32: return buf.writeInt32LE(Number(value) | 0, pos);
    case Kind.Float: return buf.writeFloatLE(Number(value), pos);
    case Kind.Fixed64: case Kind.Sfixed64:
      splitLong(value, what);
      pos = buf.writeUInt32LE(lo, pos);
      return buf.writeUInt32LE(hi, pos);
    case Kind.Double: return buf.writeDoubleLE(Number(value), pos);
    default: throw new Error(`not a scalar kind: ${f.kind}`);
  }
}

function writeField(buf: Buffer, pos: number, f: FieldPlan, value: unknown, what: string): number {
  for (const b of f.key) buf[pos++] = b;
  switch (f.kind) {
    case Kind.String: {
      const s = typeof value === 'string' ? value : String(value);
      const length = Buffer.byteLength(s);
      pos = writeVarint32(buf, pos, length);
      return pos + buf.write(s, pos, length, 'utf8');
    }
    case Kind.Bytes: {
      const bytes = bytesOf(value, what);
      pos = writeVarint32(buf, pos, bytes.length);
      buf.set(bytes, pos);
      return pos + bytes.length;
    }
    case Kind.Message:
      pos = writeVarint32(buf, pos, sizes[cursor++]);
      return writeMessage(buf, pos, f.message!, value as Record<string, unknown>);
    default: return writeScalar(buf, pos, f, value, what);
  }
}

function writeMessage(buf: Buffer, pos: number, plan: TypePlan, obj: Record<string, unknown>): number {
  return (plan.code ??= generated(plan)).write(buf, pos, obj);
}

// ---- generated code ----

/** The shortest form of the default test for a field that does not track presence. */
function setTest(f: FieldPlan): string {
  switch (f.kind) {
    case Kind.String: return "v !== ''";
    case Kind.Bytes: return 'v.length !== 0';
    case Kind.Bool: return 'v !== false';
    case Kind.Message: return 'true';
    case Kind.Int64: case Kind.Uint64: case Kind.Sint64: case Kind.Fixed64: case Kind.Sfixed64: return `!isDefault(${f.kind}, v)`;
    default: return 'v !== 0';
  }
}

/**
 * A type's measuring and writing loops as code of its own, with each field's name a literal:
 * read through `obj[f.name]`, every field of every type shared one property-load site, which
 * V8 leaves megamorphic (a hash lookup per field; the top builtin of a server's profile).
 * What the generated code does per field is the same as the loop it replaces, helper for helper.
 */
function generated(plan: TypePlan): TypeCode {
  const size: string[] = ['let size = 0, v;'];
  const write: string[] = ['let v;'];
  plan.fields.forEach((f, i) => {
    const F = `F[${i}]`;
    const W = `${F}.what`;
    const load = `v = obj[${JSON.stringify(f.name)}];\nif (v !== null && v !== undefined) {`;
    const keyLength = f.key.length;
    const key = f.key.map((b) => `buf[pos++] = ${b};`).join(' ');
    size.push(load);
    write.push(load);
    if (f.repeated) {
      size.push(`if (!Array.isArray(v)) throw new TypeError(${W} + ': array expected');`, 'if (v.length !== 0) {');
      write.push('if (v.length !== 0) {');
      if (f.packed) {
        size.push(`let payload = 0; for (let j = 0; j < v.length; j++) payload += scalarSize(${F}, v[j], ${W}); size += ${keyLength} + lengthDelimitedSize(payload);`);
        write.push(`${key} let payload = 0; for (let j = 0; j < v.length; j++) payload += scalarSize(${F}, v[j], ${W}); pos = writeVarint32(buf, pos, payload);`,
          `for (let j = 0; j < v.length; j++) pos = writeScalar(buf, pos, ${F}, v[j], ${W});`);
      } else {
        size.push(`for (let j = 0; j < v.length; j++) size += ${keyLength} + fieldSize(${F}, v[j], ${W});`);
        write.push(`for (let j = 0; j < v.length; j++) pos = writeField(buf, pos, ${F}, v[j], ${W});`);
      }
      size.push('}');
      write.push('}');
    } else {
      const test = f.presence ? 'true' : setTest(f);
      size.push(`if (${test}) size += ${keyLength} + fieldSize(${F}, v, ${W});`);
      write.push(`if (${test}) pos = writeField(buf, pos, ${F}, v, ${W});`);
    }
    size.push('}');
    write.push('}');
  });
  size.push('return size;');
  write.push('return pos;');
  const helpers = { F: plan.fields, isDefault, scalarSize, fieldSize, writeScalar, writeField, writeVarint32, lengthDelimitedSize };
  const names = Object.keys(helpers);
  const make = (params: string, body: string[]): unknown =>
    new Function(...names, `'use strict';\nreturn function encode_${plan.fullName.replace(/\W/g, '_')}(${params}) {\n${body.join('\n')}\n};`)(...Object.values(helpers));
  return { size: make('obj', size) as TypeCode['size'], write: make('buf, pos, obj', write) as TypeCode['write'] };
}

/** Encodes with a compiled plan. */
function encodeWith(plan: TypePlan, msg: unknown): Buffer {
  if (msg === null || typeof msg !== 'object') throw new TypeError(`.${plan.fullName}: object expected`);
  sizes.length = 0;
  const size = messageSize(plan, msg as Record<string, unknown>);
  const buf = Buffer.allocUnsafe(size);
  cursor = 0;
  const end = writeMessage(buf, 0, plan, msg as Record<string, unknown>);
  if (end !== size) throw new Error(`.${plan.fullName}: encoded ${end} bytes, measured ${size}`);
  return buf;
}

// ---- the public face ----

const planOf = cachedPlans(compile);

/** An encoder for `type`, or null when the type has map fields or google.protobuf types (use protobufjs then). */
export function messageEncoder<T = unknown>(type: protobuf.Type): { encode: (msg: T) => Buffer } | null {
  const plan = planOf(type);
  if (plan === null) return null;
  return { encode: (msg) => encodeWith(plan, msg) };
}
