// What an agent offers: cpus, memory and disk of its host, in integer units, minus what the
// agent keeps for the system, within any cgroup limit the agent itself runs under, and overridable
// (Mesos: --resources; its defaults reserve memory and disk the same way).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cgroupDirIn, cpuLimitMilliV1, cpuLimitMilliV2, memoryLimitBytes, parseMountInfo, parseProcCgroup, CgroupMount } from './cgroup-files';
import { GIB } from './executor-limits';
import { isErrno } from './proc-stat';

export interface HostResources {
  readonly cpusMilli: number;
  readonly memBytes: number;
  readonly diskBytes: number;
}

export interface DetectResourcesOptions {
  /** The agent's work dir (must exist): its filesystem's free space is the disk offered. */
  readonly workDir: string;
  readonly overrides?: Partial<HostResources>;
  /** Memory kept for the system; default: Mesos's 1 GiB, or half when the host has under 2 GiB. */
  readonly memReservedBytes?: number;
  /** Disk kept free; default: Mesos's 5 GiB, or half when the filesystem has under 10 GiB. */
  readonly diskReservedBytes?: number;
  readonly procRoot?: string;
}

/** The cgroup limits the agent itself runs under, tightest over its ancestors; undefined = none. */
export interface SelfLimits {
  readonly cpusMilli?: number;
  readonly memBytes?: number;
}

export function defaultMemReservedBytes(totalBytes: number): number {
  return totalBytes >= 2 * GIB ? GIB : Math.floor(totalBytes / 2);
}

export function defaultDiskReservedBytes(totalBytes: number): number {
  return totalBytes >= 10 * GIB ? 5 * GIB : Math.floor(totalBytes / 2);
}

export interface HostFacts {
  readonly parallelism: number;
  readonly totalMemBytes: number;
  readonly freeDiskBytes: number;
  readonly self: SelfLimits;
}

/** Pure: combines host facts, the agent's own cgroup limits, reservations and overrides. */
export function computeResources(facts: HostFacts, opts: Omit<DetectResourcesOptions, 'workDir' | 'procRoot'> = {}): HostResources {
  const hostCpus = facts.parallelism * 1000;
  const cpusMilli = facts.self.cpusMilli === undefined ? hostCpus : Math.min(hostCpus, facts.self.cpusMilli);
  const memCeiling = Math.min(facts.totalMemBytes, facts.self.memBytes ?? Infinity);
  const memReserved = opts.memReservedBytes ?? defaultMemReservedBytes(memCeiling);
  const diskReserved = opts.diskReservedBytes ?? defaultDiskReservedBytes(facts.freeDiskBytes);
  const detected: HostResources = {
    cpusMilli: Math.floor(cpusMilli),
    memBytes: Math.max(0, Math.floor(memCeiling - memReserved)),
    diskBytes: Math.max(0, Math.floor(facts.freeDiskBytes - diskReserved)),
  };
  return { ...detected, ...definedOnly(opts.overrides ?? {}) };
}

function definedOnly(overrides: Partial<HostResources>): Partial<HostResources> {
  const out: Partial<Record<keyof HostResources, number>> = {};
  for (const key of ['cpusMilli', 'memBytes', 'diskBytes'] as const) {
    const value = overrides[key];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 0) throw new Error(`resource override ${key} must be a non-negative integer, got ${value}`);
    out[key] = value;
  }
  return out;
}

/** Tightest limit over a cgroup and its ancestors (a child cannot use more than any parent allows). */
export function tightest(values: ReadonlyArray<number | undefined>): number | undefined {
  const set = values.filter((v): v is number => v !== undefined);
  return set.length === 0 ? undefined : Math.min(...set);
}

export async function detectResources(opts: DetectResourcesOptions): Promise<HostResources> {
  const stat = await fs.promises.statfs(opts.workDir);
  const facts: HostFacts = {
    parallelism: os.availableParallelism(),
    totalMemBytes: os.totalmem(),
    freeDiskBytes: stat.bavail * stat.bsize,
    self: readSelfLimits(opts.procRoot ?? '/proc'),
  };
  return computeResources(facts, opts);
}

/** Reads the cpu and memory limits of the agent's own cgroup and its ancestors (v2 or v1). */
export function readSelfLimits(procRoot: string): SelfLimits {
  let mounts: CgroupMount[];
  let own: ReturnType<typeof parseProcCgroup>;
  try {
    mounts = parseMountInfo(fs.readFileSync(`${procRoot}/self/mountinfo`, 'utf8'));
    own = parseProcCgroup(fs.readFileSync(`${procRoot}/self/cgroup`, 'utf8'));
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return {}; // No /proc (not Linux): no cgroup can limit us there.
    throw err;
  }
  const v2 = mounts.find((m) => m.version === 2);
  const v2Dir = v2 && own.unified !== undefined ? cgroupDirIn(v2, own.unified) : undefined;
  const inV1 = (c: string): string | undefined => {
    const mount = mounts.find((m) => m.version === 1 && m.controllers.includes(c));
    const cgPath = own.v1[c];
    return mount && cgPath !== undefined ? cgroupDirIn(mount, cgPath) : undefined;
  };
  const v1Cpu = inV1('cpu');
  const v1Mem = inV1('memory');
  const cpusMilli = tightest([
    ...ancestors(v2Dir, v2?.mountPoint).map((d) => mapFile(path.join(d, 'cpu.max'), cpuLimitMilliV2)),
    ...ancestors(v1Cpu, mountOf(mounts, 'cpu')).map((d) => {
      const period = readQuiet(path.join(d, 'cpu.cfs_period_us'));
      return mapFile(path.join(d, 'cpu.cfs_quota_us'), (quota) => (period === undefined ? undefined : cpuLimitMilliV1(quota, period)));
    }),
  ]);
  const memBytes = tightest([
    ...ancestors(v2Dir, v2?.mountPoint).map((d) => mapFile(path.join(d, 'memory.max'), memoryLimitBytes)),
    ...ancestors(v1Mem, mountOf(mounts, 'memory')).map((d) => mapFile(path.join(d, 'memory.limit_in_bytes'), memoryLimitBytes)),
  ]);
  return { ...(cpusMilli !== undefined ? { cpusMilli } : {}), ...(memBytes !== undefined ? { memBytes } : {}) };
}

function mountOf(mounts: CgroupMount[], controller: string): string | undefined {
  return mounts.find((m) => m.version === 1 && m.controllers.includes(controller))?.mountPoint;
}

/** dir, its parent, ... up to and including the mount point. */
function ancestors(dir: string | undefined, mountPoint: string | undefined): string[] {
  if (dir === undefined || mountPoint === undefined) return [];
  const out: string[] = [];
  for (let d = dir; d.startsWith(mountPoint) && out.length < 64; d = path.dirname(d)) {
    out.push(d);
    if (d === mountPoint) break;
  }
  return out;
}

function mapFile<T>(file: string, parse: (text: string) => T | undefined): T | undefined {
  const text = readQuiet(file);
  return text === undefined ? undefined : parse(text);
}

function readQuiet(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return undefined; // The root cgroup has no limit files: no limit there.
    throw err;
  }
}
