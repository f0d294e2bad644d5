// What an agent offers: detected host resources, overridden by --resources, plus a ports range;
// and its attributes. Pure parsing here; detection is the executor's.
import { PortRange, ResourcesInput, parseResources } from '../allocator';

/** Mesos's default ports resource. */
export const DEFAULT_PORTS: readonly PortRange[] = [{ begin: 31000, end: 32000 }];
export const ATTRIBUTES_MAX = 64;

export interface ResourceOverrides {
  readonly given: ReadonlySet<'cpus' | 'mem' | 'disk' | 'gpus' | 'ports'>;
  readonly resources: ResourcesInput;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** `--resources` text: which kinds it sets, and their values. */
export function parseResourceOverrides(text: string): Parsed<ResourceOverrides> {
  const parsed = parseResources(text);
  if (!parsed.ok) return { ok: false, message: `--resources: ${parsed.message}` };
  const given = new Set<'cpus' | 'mem' | 'disk' | 'gpus' | 'ports'>();
  for (const item of text.split(';')) {
    const name = item.split(':')[0].trim();
    if (name === 'cpus' || name === 'mem' || name === 'disk' || name === 'gpus' || name === 'ports') given.add(name);
  }
  return { ok: true, value: { given, resources: parsed.resources } };
}

/** Detected resources with the overrides applied; ports default to Mesos's range. */
export function combineResources(detected: { cpusMilli: number; memBytes: number; diskBytes: number }, overrides: ResourceOverrides): ResourcesInput {
  const r = overrides.resources;
  return {
    cpusMilli: overrides.given.has('cpus') ? r.cpusMilli : detected.cpusMilli,
    memBytes: overrides.given.has('mem') ? r.memBytes : detected.memBytes,
    diskBytes: overrides.given.has('disk') ? r.diskBytes : detected.diskBytes,
    gpus: overrides.given.has('gpus') ? r.gpus : 0,
    ports: overrides.given.has('ports') ? r.ports : DEFAULT_PORTS,
  };
}

/** `rack:a;zone:z1` (Mesos --attributes). */
export function parseAttributes(text: string): Parsed<Record<string, string>> {
  const out: Record<string, string> = {};
  const items = text.split(';').map((s) => s.trim()).filter(Boolean);
  if (items.length > ATTRIBUTES_MAX) return { ok: false, message: `--attributes: more than ${ATTRIBUTES_MAX}` };
  for (const item of items) {
    const colon = item.indexOf(':');
    const name = colon < 0 ? '' : item.slice(0, colon).trim();
    if (!/^[A-Za-z0-9_.-]{1,128}$/.test(name)) return { ok: false, message: `--attributes: "${item}" is not name:value` };
    if (name in out) return { ok: false, message: `--attributes: "${name}" given twice` };
    out[name] = item.slice(colon + 1).trim();
  }
  return { ok: true, value: out };
}
