// Resources between the wire (rm.v1.Resources) and the allocator's integer form. Pure.
import type { rmV1 } from '@ensemble/proto';
import { EMPTY_RESOURCES, PortRange, Resources, ResourcesInput, checkResources } from './allocator';

/** The allocator's input form of wire resources (unchecked: the allocator validates). */
export function fromWire(wire: rmV1.Resources__Output | null | undefined): ResourcesInput {
  if (!wire) return EMPTY_RESOURCES;
  return {
    cpusMilli: Number(wire.cpusMilli),
    memBytes: Number(wire.memBytes),
    diskBytes: Number(wire.diskBytes),
    gpus: Number(wire.gpus),
    ports: (wire.ports ?? []).map((p) => ({ begin: p.begin, end: p.end })),
  };
}

/** Checked and normalised, or why not. */
export function parseWireResources(wire: rmV1.Resources__Output | null | undefined): { ok: true; resources: Resources } | { ok: false; message: string } {
  const checked = checkResources(fromWire(wire));
  return checked.ok ? checked : { ok: false, message: checked.message };
}

export function toWire(r: Resources | ResourcesInput): rmV1.Resources__Output {
  return {
    cpusMilli: r.cpusMilli ?? 0,
    memBytes: r.memBytes ?? 0,
    diskBytes: r.diskBytes ?? 0,
    gpus: r.gpus ?? 0,
    ports: (r.ports ?? []).map((p: PortRange) => ({ begin: p.begin, end: p.end })),
  };
}

/** Every port of the ranges, in order, at most `max` of them (undefined if there are more). */
export function expandPorts(ranges: readonly PortRange[], max: number): number[] | undefined {
  const ports: number[] = [];
  for (const range of ranges) {
    for (let port = range.begin; port <= range.end; port++) {
      if (ports.length >= max) return undefined;
      ports.push(port);
    }
  }
  return ports;
}

/** Human form: "cpus:0.5 mem:64MiB ports:[31000-31001]". */
export function describeResources(r: rmV1.Resources__Output | null | undefined): string {
  if (!r) return '-';
  const parts: string[] = [];
  if (r.cpusMilli) parts.push(`cpus:${Number(r.cpusMilli) / 1000}`);
  if (r.memBytes) parts.push(`mem:${formatBytes(Number(r.memBytes))}`);
  if (r.diskBytes) parts.push(`disk:${formatBytes(Number(r.diskBytes))}`);
  if (r.gpus) parts.push(`gpus:${r.gpus}`);
  if (r.ports?.length) parts.push(`ports:[${r.ports.map((p) => (p.begin === p.end ? `${p.begin}` : `${p.begin}-${p.end}`)).join(',')}]`);
  return parts.join(' ') || '-';
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let unit = 0;
  while (unit < units.length - 1 && bytes >= 1024 ** (unit + 1)) unit++;
  const value = bytes / 1024 ** unit;
  return `${Number.isInteger(value) ? value : value.toFixed(1)}${units[unit]}`;
}
