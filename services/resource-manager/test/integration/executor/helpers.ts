// Shared harness for the executor's integration tests: temp work dirs, a cgroup parent per test
// process, polling with deadlines, and cleanup that leaves no process or cgroup behind.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { settlesWithin } from '@ensemble/common';
import { CgroupSupport, detectCgroups, parsePidList, readProcStat, removeCgroupParent, TaskRunner, TaskStatus } from '../../../src/agent/executor';

export const MIB = 1024 * 1024;

/** Our own parent cgroup, so parallel test files and a real agent never share one. */
export function testCgroups(tag: string): CgroupSupport {
  return detectCgroups({ parentName: `ensemble-test-${tag}-${process.pid}` });
}

/** The directories of our parent cgroup (one per v1 hierarchy). */
export function parentDirs(support: CgroupSupport): string[] {
  if (support.version === 'none') return [];
  const roots = support.version === 2 ? [support.root] : [...new Set([support.cpuRoot, support.cpuacctRoot, support.memoryRoot])];
  return roots.map((r) => path.join(r, support.parentName));
}

/** Task cgroups still under our parent: must be none after every test. */
export function leftoverCgroups(support: CgroupSupport): string[] {
  return parentDirs(support).flatMap((dir) =>
    fs.existsSync(dir)
      ? fs
          .readdirSync(dir, { withFileTypes: true })
          .filter((e) => e.isDirectory())
          .map((e) => path.join(dir, e.name))
      : [],
  );
}

/**
 * Kills and removes task cgroups a failed test left, and returns what it found, so afterEach can
 * both clean up and fail loudly: `expect(await sweepCgroups(cg)).toEqual([])`.
 */
export async function sweepCgroups(support: CgroupSupport): Promise<string[]> {
  const left = leftoverCgroups(support);
  for (const dir of left) {
    for (let attempt = 0; attempt < 50 && fs.existsSync(dir); attempt++) {
      killQuietly(parsePidList(fs.readFileSync(path.join(dir, 'cgroup.procs'), 'utf8')));
      try {
        fs.rmdirSync(dir);
      } catch (err) {
        if ((err as { code?: string }).code !== 'EBUSY') throw err; // EBUSY: members still dying.
        await delay(20);
      }
    }
  }
  return left;
}

export function removeTestCgroups(support: CgroupSupport): void {
  const result = removeCgroupParent(support);
  if (!result.ok) throw new Error(`cgroup parent left behind: ${result.message}`);
}

export function tempWorkDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ensemble-executor-'));
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000, pollMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    await delay(pollMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Gone means no /proc entry, or a zombie (dead, waiting for a parent that is not us to reap it). */
export function processGone(pid: number): boolean {
  const stat = readProcStat(pid);
  return stat === undefined || stat.state === 'Z' || stat.state === 'X';
}

export function readSandboxFile(sandbox: string, name: string): string {
  return fs.readFileSync(path.join(sandbox, name), 'utf8');
}

/** Resolves with the terminal status, or fails the test after the deadline. */
export function waitTerminal(runner: TaskRunner, taskId: string, timeoutMs = 10_000): Promise<TaskStatus> {
  return settlesWithin(runner.wait(taskId), timeoutMs, `task ${taskId} ending`);
}

/** SIGKILLs every live task of the runner and waits for each to settle, then closes it. */
export async function stopRunner(runner: TaskRunner): Promise<void> {
  if (runner.closed) return;
  const live = runner.tasksInfo().filter((t) => t.terminal === undefined);
  for (const task of live) runner.kill(task.taskId, 0);
  await Promise.all(live.map((t) => waitTerminal(runner, t.taskId, 5000)));
  runner.close();
}

/**
 * Kills what a failed test may leave: each pid we started is a task wrapper leading its own
 * process group, so the group goes too.
 */
export function killQuietly(pids: Iterable<number>): void {
  for (const pid of pids) {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch (err) {
        if ((err as { code?: string }).code !== 'ESRCH') throw err; // ESRCH: already gone, as wanted.
      }
    }
  }
}
