// What the agent remembers of each launched task, in <workDir>/meta/tasks/<taskId>.json, so that
// after a restart it can find its tasks again (Mesos: the agent's meta directory and recovery).
// Writes are atomic and durable: temp file, fsync, rename, fsync of the directory.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { CgroupPaths } from './cgroups';
import { TaskCommand, TaskResources } from './task-spec';
import { KillFailure, TaskState, TaskStatus, isTerminal } from './task-status';

export const CHECKPOINT_FORMAT_VERSION = 1;

export interface TaskCheckpoint {
  readonly formatVersion: typeof CHECKPOINT_FORMAT_VERSION;
  readonly taskId: string;
  readonly frameworkId: string;
  /** The launch wrapper: the task's process group leader (pgid === pid) and its exit recorder. */
  readonly pid: number;
  readonly pgid: number;
  /** /proc/<pid>/stat field 22 at launch: with bootId it tells our process from a later one with the same pid. */
  readonly startTimeTicks: number;
  readonly bootId: string;
  readonly cgroup: CgroupPaths | null;
  readonly sandbox: string;
  readonly command: TaskCommand;
  readonly resources: TaskResources;
  readonly killGracePeriodMs: number;
  readonly launchedAtMs: number;
  /** Set when a kill was asked for, so an end seen only after a restart is still KILLED. */
  readonly killRequestedAtMs?: number;
  /** Set when that kill was the task's failure (it then ends FAILED with this reason). */
  readonly killFailure?: KillFailure;
  /** Set once the task ended and its terminal status was emitted. */
  readonly terminal?: TaskStatus;
}

export type CheckpointCheck = { ok: true; record: TaskCheckpoint } | { ok: false; code: 'INVALID_CHECKPOINT'; message: string };

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isNat = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isPid = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;

const STATES: ReadonlySet<TaskState> = new Set(['STARTING', 'RUNNING', 'FINISHED', 'FAILED', 'KILLED', 'LOST']);

function checkCommand(v: unknown): boolean {
  if (!isObj(v)) return false;
  if ('shell' in v) return isStr(v.shell);
  return Array.isArray(v.argv) && v.argv.length > 0 && v.argv.every((a) => typeof a === 'string');
}

function checkCgroup(v: unknown): boolean {
  if (v === null) return true;
  if (!isObj(v)) return false;
  if (v.version === 2) return isAbs(v.dir);
  return v.version === 1 && isAbs(v.cpuDir) && isAbs(v.cpuacctDir) && isAbs(v.memoryDir);
}

const isAbs = (v: unknown): boolean => isStr(v) && v.startsWith('/');

function checkResources(v: unknown): boolean {
  return isObj(v) && isNat(v.cpusMilli) && isNat(v.memBytes) && Array.isArray(v.ports) && v.ports.every(isNat);
}

function checkTerminal(v: unknown, taskId: unknown): boolean {
  if (v === undefined) return true;
  return isObj(v) && v.taskId === taskId && STATES.has(v.state as TaskState) && isTerminal(v.state as TaskState) && isNat(v.timestampMs);
}

/** Field checks, in order; the first that fails names the problem. */
const FIELD_CHECKS: ReadonlyArray<readonly [string, (r: Obj) => boolean]> = [
  ['formatVersion', (r) => r.formatVersion === CHECKPOINT_FORMAT_VERSION],
  ['taskId', (r) => isStr(r.taskId)],
  ['frameworkId', (r) => isStr(r.frameworkId)],
  ['pid', (r) => isPid(r.pid)],
  ['pgid', (r) => isPid(r.pgid)],
  ['startTimeTicks', (r) => isNat(r.startTimeTicks)],
  ['bootId', (r) => isStr(r.bootId)],
  ['cgroup', (r) => checkCgroup(r.cgroup)],
  ['sandbox', (r) => isAbs(r.sandbox)],
  ['command', (r) => checkCommand(r.command)],
  ['resources', (r) => checkResources(r.resources)],
  ['killGracePeriodMs', (r) => isNat(r.killGracePeriodMs)],
  ['launchedAtMs', (r) => isNat(r.launchedAtMs)],
  ['killRequestedAtMs', (r) => r.killRequestedAtMs === undefined || isNat(r.killRequestedAtMs)],
  ['killFailure', (r) => r.killFailure === undefined || (isObj(r.killFailure) && isStr(r.killFailure.reason) && typeof r.killFailure.message === 'string')],
  ['terminal', (r) => checkTerminal(r.terminal, r.taskId)],
];

/** Validates a parsed checkpoint; a record that fails is reported, never trusted. */
export function validateCheckpoint(value: unknown): CheckpointCheck {
  if (!isObj(value)) return { ok: false, code: 'INVALID_CHECKPOINT', message: 'checkpoint is not a JSON object' };
  for (const [field, check] of FIELD_CHECKS) {
    if (!check(value)) return { ok: false, code: 'INVALID_CHECKPOINT', message: `checkpoint field ${field} is missing or invalid` };
  }
  return { ok: true, record: value as unknown as TaskCheckpoint };
}

export function parseCheckpoint(text: string): CheckpointCheck {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, code: 'INVALID_CHECKPOINT', message: `checkpoint is not JSON: ${(err as Error).message}` };
  }
  return validateCheckpoint(value);
}

export interface LoadedCheckpoints {
  readonly records: TaskCheckpoint[];
  readonly invalid: Array<{ file: string; message: string }>;
}

const SUFFIX = '.json';

/** The checkpoint directory of one work dir. All writes are synchronous: they order the launch. */
export class CheckpointStore {
  readonly dir: string;

  constructor(
    workDir: string,
    private readonly bytesMax: number,
  ) {
    this.dir = path.join(workDir, 'meta', 'tasks');
  }

  fileOf(taskId: string): string {
    return path.join(this.dir, `${taskId}${SUFFIX}`);
  }

  has(taskId: string): boolean {
    return fs.existsSync(this.fileOf(taskId));
  }

  /** temp + fsync + rename + fsync(dir): after a crash the file is the old record or the new one. */
  write(record: TaskCheckpoint): void {
    fs.mkdirSync(this.dir, { recursive: true });
    const file = this.fileOf(record.taskId);
    const tmp = `${file}.tmp-${process.pid}`;
    const fd = fs.openSync(tmp, 'w', 0o600);
    try {
      fs.writeSync(fd, JSON.stringify(record));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
    const dirFd = fs.openSync(this.dir, 'r');
    try {
      fs.fsyncSync(dirFd);
    } finally {
      fs.closeSync(dirFd);
    }
  }

  remove(taskId: string): void {
    fs.rmSync(this.fileOf(taskId), { force: true });
  }

  loadAll(): LoadedCheckpoints {
    const out: LoadedCheckpoints = { records: [], invalid: [] };
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') return out;
      throw err;
    }
    for (const name of names.filter((n) => n.endsWith(SUFFIX)).sort()) {
      const file = path.join(this.dir, name);
      const loaded = this.loadOne(file);
      if (!loaded.ok) out.invalid.push({ file, message: loaded.message });
      else if (`${loaded.record.taskId}${SUFFIX}` !== name) out.invalid.push({ file, message: 'checkpoint taskId does not match its file name' });
      else out.records.push(loaded.record);
    }
    return out;
  }

  private loadOne(file: string): CheckpointCheck {
    const size = fs.statSync(file).size;
    if (size > this.bytesMax) return { ok: false, code: 'INVALID_CHECKPOINT', message: `checkpoint is larger than ${this.bytesMax} bytes` };
    return parseCheckpoint(fs.readFileSync(file, 'utf8'));
  }
}
