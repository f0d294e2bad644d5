// The contents of cgroup files: what we write for a task's limits and how we read what the
// kernel tells us. Pure; cgroups.ts does the I/O. References: the kernel's
// Documentation/admin-guide/cgroup-v2.rst and cgroup-v1/{memory,cpuacct}.rst, sched-bwc.rst.

import { createHash } from 'node:crypto';
import { CFS_PERIOD_US } from './executor-limits';

export interface CgroupLimits {
  readonly cpusMilli: number;
  readonly memBytes: number;
}

export interface CgroupMount {
  readonly mountPoint: string;
  /** Where in the hierarchy the mount starts ("/" unless inside a cgroup namespace or bind mount). */
  readonly root: string;
  readonly version: 1 | 2;
  /** v1: the controllers bound to this hierarchy (named hierarchies like name=systemd excluded). */
  readonly controllers: readonly string[];
}

/** Decodes the octal escapes of /proc/self/mountinfo (space is \040). */
function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** proc(5) mountinfo: "id parent maj:min root mountpoint opts [optional...] - fstype source superopts". */
export function parseMountInfo(text: string): CgroupMount[] {
  const mounts: CgroupMount[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(' ');
    const dash = fields.indexOf('-');
    if (dash < 6 || fields.length < dash + 4) continue;
    const fsType = fields[dash + 1];
    if (fsType !== 'cgroup' && fsType !== 'cgroup2') continue;
    const superOpts = (fields[dash + 3] ?? '').split(',');
    const controllers = fsType === 'cgroup' ? superOpts.filter((o) => /^[a-z_]+$/.test(o) && !NON_CONTROLLER_OPTS.has(o)) : [];
    mounts.push({
      mountPoint: unescapeMountField(fields[4] ?? ''),
      root: unescapeMountField(fields[3] ?? ''),
      version: fsType === 'cgroup2' ? 2 : 1,
      controllers,
    });
  }
  return mounts;
}

const NON_CONTROLLER_OPTS = new Set(['rw', 'ro', 'relatime', 'noatime', 'nosuid', 'nodev', 'noexec', 'xattr', 'clone_children', 'noprefix', 'nsdelegate', 'memory_recursiveprot', 'memory_localevents', 'favordynmods']);

export interface ProcCgroup {
  /** The "0::<path>" line (cgroup v2 / the unified hierarchy). */
  readonly unified?: string;
  /** v1 controller name → path. */
  readonly v1: Readonly<Record<string, string>>;
}

/** cgroups(7) /proc/<pid>/cgroup: "hierarchy-ID:controller-list:cgroup-path". */
export function parseProcCgroup(text: string): ProcCgroup {
  let unified: string | undefined;
  const v1: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 0 || second < 0) continue;
    const controllers = line.slice(first + 1, second);
    const cgPath = line.slice(second + 1).trim();
    if (line.slice(0, first) === '0' && controllers === '') unified = cgPath;
    for (const c of controllers.split(',')) if (c !== '' && !c.startsWith('name=')) v1[c] = cgPath;
  }
  return unified === undefined ? { v1 } : { unified, v1 };
}

/** The directory of a cgroup path in a mount, or undefined if the mount does not show it. */
export function cgroupDirIn(mount: CgroupMount, cgroupPath: string): string | undefined {
  const root = mount.root === '/' ? '' : mount.root;
  if (root !== '' && cgroupPath !== root && !cgroupPath.startsWith(`${root}/`)) return undefined;
  const rel = cgroupPath.slice(root.length).replace(/\/+$/, '');
  return rel === '' ? mount.mountPoint : `${mount.mountPoint}${rel.startsWith('/') ? '' : '/'}${rel}`;
}

const CGROUP_NAME_CHARS_MAX = 100;

/**
 * A task's cgroup directory name: "task-" keeps it clear of the kernel's interface files
 * (a task called "cpu.max" must not collide with one); other characters than [A-Za-z0-9_.-]
 * become '_', and then a hash of the real id keeps distinct ids distinct.
 */
export function cgroupNameForTask(taskId: string): string {
  const safe = taskId.replace(/[^A-Za-z0-9_.-]/g, '_');
  const short = safe.slice(0, CGROUP_NAME_CHARS_MAX);
  if (short === taskId) return `task-${short}`;
  const hash = createHash('sha256').update(taskId).digest('hex').slice(0, 10);
  return `task-${short}-${hash}`;
}

export type FileWrite = readonly [file: string, content: string];

/** CFS bandwidth: quota = cpus × period (sched-bwc.rst); the kernel's floor is 1 ms. */
export function cfsQuotaUs(cpusMilli: number): number {
  return Math.max(1000, Math.round((cpusMilli * CFS_PERIOD_US) / 1000));
}

/** Mesos: cpu.shares = 1024 per cpu, at least 2 (the kernel's minimum). */
export function cpuShares(cpusMilli: number): number {
  return Math.max(2, Math.floor((cpusMilli * 1024) / 1000));
}

/** cgroup v2 cpu.weight from v1 shares, the conversion systemd and runc use. */
export function cpuWeightFromShares(shares: number): number {
  return 1 + Math.floor(((shares - 2) * 9999) / 262142);
}

/** v2 writes, in order. memory.swap.max = 0 so swap cannot hide an OOM (when swap accounting exists). */
export function v2LimitWrites(limits: CgroupLimits, has: { swapMax: boolean }): FileWrite[] {
  const writes: FileWrite[] = [
    ['cpu.weight', String(cpuWeightFromShares(cpuShares(limits.cpusMilli)))],
    ['cpu.max', `${cfsQuotaUs(limits.cpusMilli)} ${CFS_PERIOD_US}`],
    ['memory.max', String(limits.memBytes)],
  ];
  if (has.swapMax) writes.push(['memory.swap.max', '0']);
  return writes;
}

export function v1CpuWrites(limits: CgroupLimits): FileWrite[] {
  return [
    ['cpu.shares', String(cpuShares(limits.cpusMilli))],
    ['cpu.cfs_period_us', String(CFS_PERIOD_US)],
    ['cpu.cfs_quota_us', String(cfsQuotaUs(limits.cpusMilli))],
  ];
}

/** memsw (memory + swap) must be written after, and not below, the memory limit (memory.rst §2.4). */
export function v1MemoryWrites(limits: CgroupLimits, has: { memsw: boolean }): FileWrite[] {
  const writes: FileWrite[] = [['memory.limit_in_bytes', String(limits.memBytes)]];
  if (has.memsw) writes.push(['memory.memsw.limit_in_bytes', String(limits.memBytes)]);
  return writes;
}

/** "key value" lines (memory.events, memory.oom_control, cpu.stat) → map. */
export function parseKeyedCounters(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined && /^\d+$/.test(value)) out.set(key, Number(value));
  }
  return out;
}

/** v2 memory.events: oom_kill counts processes the OOM killer killed in this cgroup. */
export function oomKilledV2(memoryEvents: string): boolean {
  return (parseKeyedCounters(memoryEvents).get('oom_kill') ?? 0) > 0;
}

/**
 * v1: memory.oom_control has an oom_kill counter since Linux 4.13. Older kernels only say the
 * limit was hit (memory.failcnt), which page-cache reclaim also causes, so then it takes the
 * task dying of SIGKILL as well to call it an OOM kill.
 */
export function oomKilledV1(oomControl: string, failcnt: string, diedOfSigkill: boolean): boolean {
  const counters = parseKeyedCounters(oomControl);
  const oomKill = counters.get('oom_kill');
  if (oomKill !== undefined) return oomKill > 0;
  return Number(failcnt.trim()) > 0 && diedOfSigkill;
}

/** v2 cpu.stat usage_usec. */
export function cpuUsageUsecV2(cpuStat: string): number | undefined {
  return parseKeyedCounters(cpuStat).get('usage_usec');
}

/** v1 cpuacct.usage is in nanoseconds. */
export function cpuUsageUsecV1(cpuacctUsage: string): number | undefined {
  const ns = cpuacctUsage.trim();
  return /^\d+$/.test(ns) ? Math.floor(Number(ns) / 1000) : undefined;
}

/** cgroup.procs / tasks: one pid per line. */
export function parsePidList(text: string): number[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^\d+$/.test(l))
    .map(Number);
}

/** v2 cpu.max "max 100000" or "<quota> <period>" → millicpus, undefined when unlimited. */
export function cpuLimitMilliV2(cpuMax: string): number | undefined {
  const [quota, period] = cpuMax.trim().split(/\s+/);
  if (quota === undefined || quota === 'max') return undefined;
  return quotaToMilli(Number(quota), Number(period ?? CFS_PERIOD_US));
}

/** v1 cpu.cfs_quota_us (-1 = unlimited) over cpu.cfs_period_us → millicpus. */
export function cpuLimitMilliV1(quotaUs: string, periodUs: string): number | undefined {
  return quotaToMilli(Number(quotaUs.trim()), Number(periodUs.trim()));
}

function quotaToMilli(quota: number, period: number): number | undefined {
  if (!Number.isFinite(quota) || !Number.isFinite(period) || quota <= 0 || period <= 0) return undefined;
  return Math.floor((quota * 1000) / period);
}

/** Anything at or over 2^60 bytes is the kernel's "no limit" (v1 prints PAGE_COUNTER_MAX pages). */
const UNLIMITED_BYTES = 2 ** 60;

/** v2 memory.max ("max" or bytes) or v1 memory.limit_in_bytes → bytes, undefined when unlimited. */
export function memoryLimitBytes(text: string): number | undefined {
  const value = text.trim();
  if (value === 'max' || !/^\d+$/.test(value)) return undefined;
  const bytes = Number(value);
  return bytes >= UNLIMITED_BYTES ? undefined : bytes;
}
