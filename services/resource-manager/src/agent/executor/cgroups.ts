// Per-task cgroups on cgroup v2 (unified) or v1 (one hierarchy per controller), found by really
// creating a probe cgroup under our parent, writing limits to it and moving a process into it.
// The file contents come from cgroup-files.ts; this module only does the I/O.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CgroupLimits,
  CgroupMount,
  FileWrite,
  cgroupNameForTask,
  cpuUsageUsecV1,
  cpuUsageUsecV2,
  oomKilledV1,
  oomKilledV2,
  parseMountInfo,
  parsePidList,
  v1CpuWrites,
  v1MemoryWrites,
  v2LimitWrites,
} from './cgroup-files';
import { DEFAULT_EXECUTOR_LIMITS } from './executor-limits';
import { isErrno } from './proc-stat';

export const DEFAULT_CGROUP_PARENT = 'ensemble';

export type CgroupSupport =
  | { readonly version: 2; readonly root: string; readonly parentName: string }
  | { readonly version: 1; readonly cpuRoot: string; readonly cpuacctRoot: string; readonly memoryRoot: string; readonly parentName: string }
  | { readonly version: 'none'; readonly reason: string };

/** Where one task's cgroup lives; checkpointed so a restarted agent can find it again. */
export type CgroupPaths =
  | { readonly version: 2; readonly dir: string }
  | { readonly version: 1; readonly cpuDir: string; readonly cpuacctDir: string; readonly memoryDir: string };

export interface DetectOptions {
  /** Our parent cgroup under each hierarchy root. Default "ensemble". */
  readonly parentName?: string;
  readonly mountInfoPath?: string;
  /** The shell used to prove a process can be moved into a cgroup. */
  readonly shellPath?: string;
}

const V2_CONTROLLERS = ['cpu', 'memory'] as const;
const JOIN_SCRIPT = 'for f in "$@"; do echo $$ > "$f" || exit 1; done';

/**
 * Prefers cgroup v2 when the unified hierarchy has the cpu and memory controllers (a hybrid
 * host mounts an empty one at /sys/fs/cgroup/unified), else v1 with cpu, cpuacct and memory.
 */
export function detectCgroups(opts: DetectOptions = {}): CgroupSupport {
  const parentName = opts.parentName ?? DEFAULT_CGROUP_PARENT;
  const shellPath = opts.shellPath ?? '/bin/sh';
  let mounts: CgroupMount[];
  try {
    mounts = parseMountInfo(fs.readFileSync(opts.mountInfoPath ?? '/proc/self/mountinfo', 'utf8'));
  } catch (err) {
    return { version: 'none', reason: `cannot read mountinfo: ${errText(err)}` };
  }
  const reasons: string[] = [];
  for (const mount of mounts.filter((m) => m.version === 2)) {
    const result = tryV2(mount.mountPoint, parentName, shellPath);
    if (result.version !== 'none') return result;
    reasons.push(result.reason);
  }
  const v1 = tryV1(mounts, parentName, shellPath);
  if (v1.version !== 'none') return v1;
  reasons.push(v1.reason);
  return { version: 'none', reason: reasons.join('; ') };
}

function tryV2(root: string, parentName: string, shellPath: string): CgroupSupport {
  const available = readOptional(path.join(root, 'cgroup.controllers'))?.trim().split(/\s+/) ?? [];
  const missing = V2_CONTROLLERS.filter((c) => !available.includes(c));
  if (missing.length > 0) return { version: 'none', reason: `cgroup v2 at ${root} lacks controllers ${missing.join(', ')}` };
  try {
    enableV2Controllers(root);
    fs.mkdirSync(path.join(root, parentName), { recursive: true });
    enableV2Controllers(path.join(root, parentName));
  } catch (err) {
    // cgroup-v2.rst "No Internal Process Constraint": inside a cgroup namespace the root may hold
    // processes, and then no controller can be enabled for children.
    const hint = isErrno((err as Error).cause, 'EBUSY') ? ' (its root holds processes: run the agent in a leaf cgroup, e.g. move them all into <root>/init)' : '';
    return { version: 'none', reason: `cgroup v2 at ${root} is not writable: ${errText(err)}${hint}` };
  }
  const support: CgroupSupport = { version: 2, root, parentName };
  const probe = probeSupport(support, shellPath);
  return probe.ok ? support : { version: 'none', reason: `cgroup v2 probe failed: ${probe.message}` };
}

/** cgroup-v2.rst "Enabling and Disabling": a child gets a controller's files only if its parent enables it. */
function enableV2Controllers(dir: string): void {
  const enabled = readOptional(path.join(dir, 'cgroup.subtree_control'))?.trim().split(/\s+/) ?? [];
  for (const c of V2_CONTROLLERS) {
    if (!enabled.includes(c)) writeFile(path.join(dir, 'cgroup.subtree_control'), `+${c}`);
  }
}

function tryV1(mounts: CgroupMount[], parentName: string, shellPath: string): CgroupSupport {
  const find = (c: string) => mounts.find((m) => m.version === 1 && m.controllers.includes(c))?.mountPoint;
  const cpuRoot = find('cpu');
  const cpuacctRoot = find('cpuacct');
  const memoryRoot = find('memory');
  if (!cpuRoot || !cpuacctRoot || !memoryRoot) return { version: 'none', reason: 'no cgroup v1 hierarchies for cpu, cpuacct and memory' };
  const support: CgroupSupport = { version: 1, cpuRoot, cpuacctRoot, memoryRoot, parentName };
  try {
    for (const root of new Set([cpuRoot, cpuacctRoot, memoryRoot])) fs.mkdirSync(path.join(root, parentName), { recursive: true });
  } catch (err) {
    return { version: 'none', reason: `cgroup v1 is not writable: ${errText(err)}` };
  }
  const probe = probeSupport(support, shellPath);
  return probe.ok ? support : { version: 'none', reason: `cgroup v1 probe failed: ${probe.message}` };
}

/** Creates a probe cgroup with limits, moves a shell into it, and removes it again. */
function probeSupport(support: CgroupSupport, shellPath: string): { ok: true } | { ok: false; message: string } {
  const created = createTaskCgroup(support, `probe-${process.pid}`, { cpusMilli: 1000, memBytes: 64 * 1024 * 1024 });
  if (!created.ok) return created;
  const cgroup = created.cgroup;
  const joined = spawnSync(shellPath, ['-c', JOIN_SCRIPT, 'probe', ...cgroup.procsFiles], { stdio: 'ignore', timeout: 5000 });
  const removed = removeDirsNow(cgroup.dirs);
  if (joined.status !== 0) return { ok: false, message: `cannot move a process into ${cgroup.procsFiles.join(', ')}` };
  return removed;
}

export interface TaskCgroup {
  readonly paths: CgroupPaths;
  /** Every directory of this cgroup (v1: one per hierarchy). */
  readonly dirs: readonly string[];
  /** The cgroup.procs files a process writes its pid to, to join. */
  readonly procsFiles: readonly string[];
  addPid(pid: number): void;
  pids(): number[];
  /** `diedOfSigkill` only matters on v1 kernels without memory.oom_control's oom_kill counter. */
  oomKilled(hint?: { diedOfSigkill: boolean }): boolean;
  cpuUsageUsec(): number | undefined;
  memoryUsageBytes(): number | undefined;
  /** SIGKILLs every process in the cgroup (v2: cgroup.kill, which also catches forks in flight). */
  kill(): void;
  /** Kills what is left and removes the directories, retrying while the kernel says EBUSY. */
  remove(opts?: { attemptsMax?: number; retryMs?: number }): Promise<{ ok: true } | { ok: false; message: string }>;
}

export type CreateResult = { ok: true; cgroup: TaskCgroup } | { ok: false; message: string };

export function taskCgroupPaths(support: Exclude<CgroupSupport, { version: 'none' }>, taskId: string): CgroupPaths {
  const name = cgroupNameForTask(taskId);
  if (support.version === 2) return { version: 2, dir: path.join(support.root, support.parentName, name) };
  return {
    version: 1,
    cpuDir: path.join(support.cpuRoot, support.parentName, name),
    cpuacctDir: path.join(support.cpuacctRoot, support.parentName, name),
    memoryDir: path.join(support.memoryRoot, support.parentName, name),
  };
}

/** Creates (or reuses, if empty) the task's cgroup and writes its limits. */
export function createTaskCgroup(support: CgroupSupport, taskId: string, limits: CgroupLimits): CreateResult {
  if (support.version === 'none') return { ok: false, message: `cgroups unavailable: ${support.reason}` };
  const cgroup = attachTaskCgroup(taskCgroupPaths(support, taskId));
  try {
    for (const dir of cgroup.dirs) fs.mkdirSync(dir, { recursive: true });
    const fake = cgroup.procsFiles.find((f) => !fs.existsSync(f));
    if (fake !== undefined) {
      removeDirsNow(cgroup.dirs);
      return { ok: false, message: `${path.dirname(fake)} is not a cgroup (the kernel made no cgroup.procs)` };
    }
    const busy = cgroup.pids();
    if (busy.length > 0) return { ok: false, message: `cgroup ${cgroup.dirs[0]} already holds processes ${busy.join(', ')}` };
    for (const [dir, writes] of limitWrites(cgroup.paths, limits)) {
      for (const [file, content] of writes) writeFile(path.join(dir, file), content);
    }
  } catch (err) {
    removeDirsNow(cgroup.dirs);
    return { ok: false, message: `cannot set up cgroup for task ${taskId}: ${errText(err)}` };
  }
  return { ok: true, cgroup };
}

function limitWrites(paths: CgroupPaths, limits: CgroupLimits): Array<[string, FileWrite[]]> {
  if (paths.version === 2) {
    return [[paths.dir, v2LimitWrites(limits, { swapMax: fs.existsSync(path.join(paths.dir, 'memory.swap.max')) })]];
  }
  const memsw = fs.existsSync(path.join(paths.memoryDir, 'memory.memsw.limit_in_bytes'));
  return [
    [paths.cpuDir, v1CpuWrites(limits)],
    [paths.memoryDir, v1MemoryWrites(limits, { memsw })],
  ];
}

/** A handle on an existing task cgroup, e.g. one found in a checkpoint after an agent restart. */
export function attachTaskCgroup(paths: CgroupPaths): TaskCgroup {
  const dirs = paths.version === 2 ? [paths.dir] : [...new Set([paths.memoryDir, paths.cpuDir, paths.cpuacctDir])];
  const procsFiles = dirs.map((d) => path.join(d, 'cgroup.procs'));
  const pids = (): number[] => [...new Set(procsFiles.flatMap((f) => parsePidList(readOptional(f) ?? '')))];
  const sigkillAll = (): void => {
    for (const pid of pids()) signalQuietly(pid, 'SIGKILL');
  };
  return {
    paths,
    dirs,
    procsFiles,
    addPid: (pid) => procsFiles.forEach((f) => writeFile(f, String(pid))),
    pids,
    oomKilled: (hint) => {
      if (paths.version === 2) return oomKilledV2(readOptional(path.join(paths.dir, 'memory.events')) ?? '');
      const control = readOptional(path.join(paths.memoryDir, 'memory.oom_control')) ?? '';
      const failcnt = readOptional(path.join(paths.memoryDir, 'memory.failcnt')) ?? '0';
      return oomKilledV1(control, failcnt, hint?.diedOfSigkill ?? true);
    },
    cpuUsageUsec: () =>
      paths.version === 2
        ? cpuUsageUsecV2(readOptional(path.join(paths.dir, 'cpu.stat')) ?? '')
        : cpuUsageUsecV1(readOptional(path.join(paths.cpuacctDir, 'cpuacct.usage')) ?? ''),
    memoryUsageBytes: () => {
      const file = paths.version === 2 ? path.join(paths.dir, 'memory.current') : path.join(paths.memoryDir, 'memory.usage_in_bytes');
      const text = readOptional(file)?.trim();
      return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
    },
    kill: () => {
      const killFile = paths.version === 2 ? path.join(paths.dir, 'cgroup.kill') : undefined;
      if (killFile !== undefined && fs.existsSync(killFile)) writeFile(killFile, '1');
      sigkillAll();
    },
    remove: async (opts = {}) => {
      const attemptsMax = opts.attemptsMax ?? DEFAULT_EXECUTOR_LIMITS.cgroupRemoveAttemptsMax;
      const retryMs = opts.retryMs ?? DEFAULT_EXECUTOR_LIMITS.cgroupRemoveRetryMs;
      let last: { ok: true } | { ok: false; message: string } = { ok: true };
      for (let attempt = 0; attempt < attemptsMax; attempt++) {
        if (paths.version === 2 && fs.existsSync(paths.dir)) writeQuietly(path.join(paths.dir, 'cgroup.kill'), '1');
        sigkillAll();
        last = removeDirsNow(dirs);
        if (last.ok) return last;
        await new Promise((resolve) => setTimeout(resolve, retryMs));
      }
      return last.ok ? last : { ok: false, message: `${last.message} after ${attemptsMax} attempts` };
    },
  };
}

/** rmdir each directory that still exists; EBUSY (processes still exiting) is reported. */
function removeDirsNow(dirs: readonly string[]): { ok: true } | { ok: false; message: string } {
  const failures: string[] = [];
  for (const dir of dirs) {
    try {
      fs.rmdirSync(dir);
    } catch (err) {
      if (!isErrno(err, 'ENOENT')) failures.push(`${dir}: ${errText(err)}`);
    }
  }
  return failures.length === 0 ? { ok: true } : { ok: false, message: `cannot remove cgroup ${failures.join('; ')}` };
}

/** Removes our (empty) parent cgroups; for tests and uninstall. Task cgroups must be gone first. */
export function removeCgroupParent(support: CgroupSupport): { ok: true } | { ok: false; message: string } {
  if (support.version === 'none') return { ok: true };
  const roots = support.version === 2 ? [support.root] : [...new Set([support.cpuRoot, support.cpuacctRoot, support.memoryRoot])];
  return removeDirsNow(roots.map((r) => path.join(r, support.parentName)));
}

function readOptional(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if (isErrno(err, 'ENOENT') || isErrno(err, 'ENODEV')) return undefined;
    throw err;
  }
}

function writeFile(file: string, content: string): void {
  try {
    fs.writeFileSync(file, content);
  } catch (err) {
    throw new Error(`write ${JSON.stringify(content)} to ${file}: ${errText(err)}`, { cause: err });
  }
}

function writeQuietly(file: string, content: string): void {
  try {
    fs.writeFileSync(file, content);
  } catch (err) {
    // The cgroup may already be gone, or the kernel predate cgroup.kill: the per-pid SIGKILL follows.
    if (!isErrno(err, 'ENOENT') && !isErrno(err, 'EACCES') && !isErrno(err, 'EINVAL')) throw err;
  }
}

function signalQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (err) {
    // Gone already, or (EPERM) a setuid process we may not signal: cgroup.kill or rmdir's EBUSY reports it.
    if (!isErrno(err, 'ESRCH') && !isErrno(err, 'EPERM')) throw err;
  }
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
