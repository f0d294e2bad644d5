// /proc/<pid>/stat parsing and process identity. The pure parts decide; the readers are thin.
// proc(5): "(2) comm %s — The filename of the executable, in parentheses"; it may itself hold
// spaces and parentheses, so the fields resume after the LAST ')'.

import * as fs from 'node:fs';
import { GoneWhy } from './task-status';

export interface ProcStat {
  readonly pid: number;
  readonly comm: string;
  /** (3) R, S, D, Z, T, ... */
  readonly state: string;
  readonly ppid: number;
  readonly pgid: number;
  /** (22) starttime: clock ticks after boot. With the boot id it names a process uniquely. */
  readonly startTimeTicks: number;
}

// Zero-based indexes into the fields after "(comm)": field N of proc(5) is at N - 3.
const STATE_AT = 0;
const PPID_AT = 1;
const PGRP_AT = 2;
const STARTTIME_AT = 22 - 3;

export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open <= 0 || close < open) return undefined;
  const pid = Number(text.slice(0, open).trim());
  const rest = text.slice(close + 1).trim().split(/\s+/);
  if (rest.length <= STARTTIME_AT) return undefined;
  const ints = [PPID_AT, PGRP_AT, STARTTIME_AT].map((i) => Number(rest[i]));
  if (!Number.isSafeInteger(pid) || pid <= 0 || ints.some((n) => !Number.isSafeInteger(n) || n < 0)) return undefined;
  return {
    pid,
    comm: text.slice(open + 1, close),
    state: rest[STATE_AT] ?? '',
    ppid: ints[0]!,
    pgid: ints[1]!,
    startTimeTicks: ints[2]!,
  };
}

export interface ProcessIdentity {
  readonly pid: number;
  readonly startTimeTicks: number;
  readonly bootId: string;
}

export type Liveness = { alive: true } | { alive: false; why: GoneWhy };

/**
 * Is the process we checkpointed still the one at its pid? Alive only if the boot is the same,
 * a process exists there, it started at the same tick, and it is not a zombie (a task that
 * exited, waiting for a parent that is no longer us).
 */
export function classifyProcess(saved: ProcessIdentity, currentBootId: string, now: ProcStat | undefined): Liveness {
  if (saved.bootId !== currentBootId) return { alive: false, why: 'REBOOTED' };
  if (now === undefined) return { alive: false, why: 'NO_PROCESS' };
  if (now.startTimeTicks !== saved.startTimeTicks) return { alive: false, why: 'PID_REUSED' };
  if (now.state === 'Z' || now.state === 'X') return { alive: false, why: 'ZOMBIE' };
  return { alive: true };
}

export function readProcStat(pid: number, procRoot = '/proc'): ProcStat | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`${procRoot}/${pid}/stat`, 'utf8');
  } catch (err) {
    if (isErrno(err, 'ENOENT') || isErrno(err, 'ESRCH')) return undefined;
    throw err;
  }
  return parseProcStat(text);
}

export function readBootId(procRoot = '/proc'): string {
  return fs.readFileSync(`${procRoot}/sys/kernel/random/boot_id`, 'utf8').trim();
}

export function isErrno(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}
