// Resources in integer units: milli-cpus, bytes, whole GPUs and port ranges. Mesos keeps scalars
// as doubles with fixed-point rounding (Value::Scalar, 3 decimal digits); integers avoid the
// rounding altogether, so `add` and `subtract` are exact and containment is a plain comparison.
// Values are immutable: every operation returns a new frozen object.

import assert from 'node:assert/strict';
import {
  NO_PORTS,
  PORT_MAX,
  PortRange,
  addPortRanges,
  containsPortRanges,
  normalisePortRanges,
  portRangesEqual,
  portRangesProblem,
  subtractPortRanges,
} from './port-ranges';

/** The scalar part of resources; what Dominant Resource Fairness measures. */
export interface ScalarQuantities {
  readonly cpusMilli: number;
  readonly memBytes: number;
  readonly diskBytes: number;
  readonly gpus: number;
}

export interface Resources extends ScalarQuantities {
  /** Normalised: sorted, merged, inclusive ranges. */
  readonly ports: readonly PortRange[];
}

/** Caller-supplied resources: missing fields are zero, ports may be unsorted or overlapping. */
export type ResourcesInput = Partial<ScalarQuantities> & { readonly ports?: readonly PortRange[] };

export const SCALAR_KINDS = ['cpusMilli', 'memBytes', 'diskBytes', 'gpus'] as const;
export type ScalarKind = (typeof SCALAR_KINDS)[number];

export const EMPTY_RESOURCES: Resources = Object.freeze({ cpusMilli: 0, memBytes: 0, diskBytes: 0, gpus: 0, ports: NO_PORTS });

export const KIB = 1024;
export const MIB = 1024 * KIB;
export const GIB = 1024 * MIB;
export const TIB = 1024 * GIB;

/** Most ranges one resources value may carry; bounds the cost of every port operation. */
export const PORT_RANGES_MAX = 1024;

export type ResourcesResult = { ok: true; resources: Resources } | { ok: false; code: 'INVALID_RESOURCES'; message: string };

/** Validates and normalises caller input. Scalars must be non-negative safe integers. */
export function checkResources(input: ResourcesInput): ResourcesResult {
  for (const kind of SCALAR_KINDS) {
    const value = input[kind] ?? 0;
    if (!Number.isSafeInteger(value) || value < 0) {
      return invalid(`${kind} must be a non-negative integer, got ${String(value)}`);
    }
  }
  const ports = input.ports ?? NO_PORTS;
  if (!Array.isArray(ports)) return invalid('ports must be an array of {begin, end}');
  if (ports.length > PORT_RANGES_MAX) return invalid(`more than ${PORT_RANGES_MAX} port ranges`);
  const problem = portRangesProblem(ports);
  if (problem !== undefined) return invalid(problem);
  return { ok: true, resources: build(input.cpusMilli ?? 0, input.memBytes ?? 0, input.diskBytes ?? 0, input.gpus ?? 0, normalisePortRanges(ports)) };
}

/** Like `checkResources` for values the caller knows are valid (constants, tests); throws otherwise. */
export function makeResources(input: ResourcesInput): Resources {
  const result = checkResources(input);
  if (!result.ok) throw new RangeError(result.message);
  return result.resources;
}

export function addResources(a: Resources, b: Resources): Resources {
  if (isEmptyResources(b)) return a;
  if (isEmptyResources(a)) return b;
  return build(a.cpusMilli + b.cpusMilli, a.memBytes + b.memBytes, a.diskBytes + b.diskBytes, a.gpus + b.gpus, addPortRanges(a.ports, b.ports));
}

/** `a - b`; asserts `a` contains `b` (subtracting what is not there is a bookkeeping bug). */
export function subtractResources(a: Resources, b: Resources): Resources {
  if (!containsResources(a, b)) assert.fail(`subtracting ${formatResources(b)} from ${formatResources(a)}`);
  if (isEmptyResources(b)) return a;
  return build(a.cpusMilli - b.cpusMilli, a.memBytes - b.memBytes, a.diskBytes - b.diskBytes, a.gpus - b.gpus, subtractPortRanges(a.ports, b.ports));
}

/** True when every unit of `inner` is in `outer`. */
export function containsResources(outer: Resources, inner: Resources): boolean {
  return (
    outer.cpusMilli >= inner.cpusMilli &&
    outer.memBytes >= inner.memBytes &&
    outer.diskBytes >= inner.diskBytes &&
    outer.gpus >= inner.gpus &&
    containsPortRanges(outer.ports, inner.ports)
  );
}

export function isEmptyResources(r: Resources): boolean {
  return r.cpusMilli === 0 && r.memBytes === 0 && r.diskBytes === 0 && r.gpus === 0 && r.ports.length === 0;
}

export function resourcesEqual(a: Resources, b: Resources): boolean {
  return (
    a.cpusMilli === b.cpusMilli && a.memBytes === b.memBytes && a.diskBytes === b.diskBytes && a.gpus === b.gpus && portRangesEqual(a.ports, b.ports)
  );
}

/**
 * True when `r` holds, for some entry of `alternatives`, at least every quantity of that entry
 * (Mesos: min_allocatable_resources "cpus:0.01|mem:32" reads "either"). No entries: no minimum.
 */
export function meetsMinimum(r: ScalarQuantities, alternatives: readonly Partial<ScalarQuantities>[]): boolean {
  if (alternatives.length === 0) return true;
  for (const min of alternatives) {
    if (
      r.cpusMilli >= (min.cpusMilli ?? 0) &&
      r.memBytes >= (min.memBytes ?? 0) &&
      r.diskBytes >= (min.diskBytes ?? 0) &&
      r.gpus >= (min.gpus ?? 0)
    ) {
      return true;
    }
  }
  return false;
}

function build(cpusMilli: number, memBytes: number, diskBytes: number, gpus: number, ports: readonly PortRange[]): Resources {
  return Object.freeze({ cpusMilli, memBytes, diskBytes, gpus, ports });
}

function invalid(message: string): { ok: false; code: 'INVALID_RESOURCES'; message: string } {
  return { ok: false, code: 'INVALID_RESOURCES', message };
}

// ---------------------------------------------------------------------------------------------
// Text form, as Mesos's `--resources` flag: "cpus:0.5;mem:64MiB;disk:1GiB;gpus:1;ports:[31000-32000]".
// Mesos reads bare mem/disk numbers as megabytes; so do we (as MiB). cpus take up to three
// decimals (milli-cpus); gpus are whole.

/** Longest text `parseResources` reads. */
export const RESOURCES_TEXT_LENGTH_MAX = 4096;

export type ParseResourcesResult = { ok: true; resources: Resources } | { ok: false; code: 'BAD_RESOURCES_TEXT'; message: string };

const BYTE_UNITS: ReadonlyMap<string, bigint> = new Map([
  ['b', 1n],
  ['kib', BigInt(KIB)],
  ['mib', BigInt(MIB)],
  ['gib', BigInt(GIB)],
  ['tib', BigInt(TIB)],
]);

export function parseResources(text: string): ParseResourcesResult {
  if (text.length > RESOURCES_TEXT_LENGTH_MAX) return bad(`resources text longer than ${RESOURCES_TEXT_LENGTH_MAX} characters`);
  const fields: { -readonly [K in keyof ResourcesInput]: ResourcesInput[K] } = {};
  for (const raw of text.split(';')) {
    const item = raw.trim();
    if (item === '') continue;
    const colon = item.indexOf(':');
    if (colon < 0) return bad(`"${item}": expected name:value`);
    const name = item.slice(0, colon).trim();
    const value = item.slice(colon + 1).trim();
    const parsed = parseField(name, value);
    if (typeof parsed === 'string') return bad(`"${item}": ${parsed}`);
    if (fields[parsed.key] !== undefined) return bad(`"${name}" given twice`);
    if (parsed.key === 'ports') fields.ports = parsed.value;
    else fields[parsed.key] = parsed.value;
  }
  const checked = checkResources(fields);
  return checked.ok ? checked : bad(checked.message);
}

type ParsedField = { key: ScalarKind; value: number } | { key: 'ports'; value: readonly PortRange[] };

function parseField(name: string, value: string): ParsedField | string {
  switch (name) {
    case 'cpus': {
      const milli = parseDecimal(value, 1000n, 1n);
      return typeof milli === 'string' ? `cpus ${milli} (at most 3 decimals, e.g. 0.5)` : { key: 'cpusMilli', value: milli };
    }
    case 'mem':
    case 'disk': {
      const bytes = parseBytes(value);
      return typeof bytes === 'string' ? bytes : { key: name === 'mem' ? 'memBytes' : 'diskBytes', value: bytes };
    }
    case 'gpus': {
      const gpus = parseDecimal(value, 1n, 1n);
      return typeof gpus === 'string' ? `gpus ${gpus} (whole GPUs only)` : { key: 'gpus', value: gpus };
    }
    case 'ports': {
      const ports = parsePorts(value);
      return typeof ports === 'string' ? ports : { key: 'ports', value: ports };
    }
    default:
      return `unknown resource "${name}" (known: cpus, mem, disk, gpus, ports)`;
  }
}

/** Exact decimal * multiplier / divisor as a safe integer, or why not. */
function parseDecimal(text: string, multiplier: bigint, divisor: bigint): number | string {
  const match = /^(\d{1,20})(?:\.(\d{1,20}))?$/.exec(text);
  if (match === null) return `"${text}" is not a non-negative decimal number`;
  const fraction = match[2] ?? '';
  const scale = 10n ** BigInt(fraction.length);
  const numerator = BigInt(match[1] + fraction) * multiplier;
  const denominator = scale * divisor;
  if (numerator % denominator !== 0n) return `"${text}" is not a whole number of units`;
  const value = numerator / denominator;
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) return `"${text}" is too large`;
  return Number(value);
}

function parseBytes(text: string): number | string {
  const match = /^([\d.]+)\s*([A-Za-z]*)$/.exec(text);
  if (match === null) return `"${text}" is not a size (e.g. 64MiB, 1.5GiB, 512 = MiB)`;
  const unit = match[2] === '' ? 'mib' : match[2].toLowerCase();
  const multiplier = BYTE_UNITS.get(unit);
  if (multiplier === undefined) return `unknown size unit "${match[2]}" (known: B, KiB, MiB, GiB, TiB)`;
  const bytes = parseDecimal(match[1], multiplier, 1n);
  return typeof bytes === 'string' ? `size ${bytes}` : bytes;
}

function parsePorts(text: string): readonly PortRange[] | string {
  if (!text.startsWith('[') || !text.endsWith(']')) return `ports "${text}" must be a bracketed list like [31000-32000,33000]`;
  const body = text.slice(1, -1).trim();
  if (body === '') return NO_PORTS;
  const items = body.split(',');
  if (items.length > PORT_RANGES_MAX) return `more than ${PORT_RANGES_MAX} port ranges`;
  const ranges: PortRange[] = [];
  for (const item of items) {
    const match = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/.exec(item.trim());
    if (match === null) return `port range "${item.trim()}" is not N or N-M`;
    const begin = Number(match[1]);
    const end = match[2] === undefined ? begin : Number(match[2]);
    if (end > PORT_MAX || begin > PORT_MAX) return `port range "${item.trim()}" is above ${PORT_MAX}`;
    if (begin > end) return `port range "${item.trim()}" has begin > end`;
    ranges.push({ begin, end });
  }
  return ranges;
}

function bad(message: string): { ok: false; code: 'BAD_RESOURCES_TEXT'; message: string } {
  return { ok: false, code: 'BAD_RESOURCES_TEXT', message };
}

/** The text form `parseResources` reads back; zero quantities are left out, empty is "". */
export function formatResources(r: Resources): string {
  const parts: string[] = [];
  if (r.cpusMilli > 0) parts.push(`cpus:${formatMilli(r.cpusMilli)}`);
  if (r.memBytes > 0) parts.push(`mem:${formatBytes(r.memBytes)}`);
  if (r.diskBytes > 0) parts.push(`disk:${formatBytes(r.diskBytes)}`);
  if (r.gpus > 0) parts.push(`gpus:${r.gpus}`);
  if (r.ports.length > 0) parts.push(`ports:[${r.ports.map((p) => `${p.begin}-${p.end}`).join(',')}]`);
  return parts.join(';');
}

function formatMilli(milli: number): string {
  const whole = Math.floor(milli / 1000);
  const fraction = milli % 1000;
  if (fraction === 0) return String(whole);
  return `${whole}.${String(fraction).padStart(3, '0').replace(/0+$/, '')}`;
}

function formatBytes(bytes: number): string {
  for (const [unit, size] of [['TiB', TIB], ['GiB', GIB], ['MiB', MIB], ['KiB', KIB]] as const) {
    if (bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return `${bytes}B`;
}
