// The process side of a task: its sandbox, spawning it through the launch wrapper, signalling its
// process group, reading what the wrapper recorded. Small I/O helpers for task-runner.ts.

import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXIT_STATUS_FILE, parseExitStatus, wrapperArgs } from './launch-wrapper';
import { isErrno } from './proc-stat';

export const STDOUT_FILE = 'stdout';
export const STDERR_FILE = 'stderr';

/** `<sandboxRoot>/<frameworkId>/<taskId>`; ids were validated as safe path components. */
export function sandboxPath(sandboxRoot: string, frameworkId: string, taskId: string): string {
  return path.join(path.resolve(sandboxRoot), frameworkId, taskId);
}

/** Creates the sandbox with its stdout/stderr files, and clears a stale exit status. */
export function prepareSandbox(sandbox: string): { stdoutFd: number; stderrFd: number } {
  fs.mkdirSync(sandbox, { recursive: true, mode: 0o755 });
  fs.rmSync(path.join(sandbox, EXIT_STATUS_FILE), { force: true });
  const stdoutFd = fs.openSync(path.join(sandbox, STDOUT_FILE), 'a', 0o644);
  try {
    return { stdoutFd, stderrFd: fs.openSync(path.join(sandbox, STDERR_FILE), 'a', 0o644) };
  } catch (err) {
    fs.closeSync(stdoutFd);
    throw err;
  }
}

export interface SpawnInput {
  readonly shellPath: string;
  readonly sandbox: string;
  readonly argv: readonly string[];
  readonly env: Record<string, string>;
  readonly procsFiles: readonly string[];
}

export type SpawnResult = { ok: true; child: ChildProcess; pid: number } | { ok: false; message: string };

/**
 * Spawns the wrapper detached: setsid(2) makes it the leader of a new session and process group
 * (pgid === pid), so a kill reaches the whole task and the agent's own death does not.
 */
export function spawnWrapped(input: SpawnInput): Promise<SpawnResult> {
  const fds = prepareSandbox(input.sandbox);
  let child: ChildProcess;
  try {
    const args = wrapperArgs({ exitStatusFile: path.join(input.sandbox, EXIT_STATUS_FILE), procsFiles: input.procsFiles, argv: input.argv });
    child = spawn(input.shellPath, args, {
      cwd: input.sandbox,
      env: input.env,
      detached: true,
      stdio: ['ignore', fds.stdoutFd, fds.stderrFd],
    });
  } finally {
    fs.closeSync(fds.stdoutFd);
    fs.closeSync(fds.stderrFd);
  }
  const pid = child.pid;
  if (pid !== undefined) return Promise.resolve({ ok: true, child, pid });
  // Node reports a failed spawn (e.g. ENOENT for the shell) on the 'error' event.
  return new Promise((resolve) => child.once('error', (err) => resolve({ ok: false, message: `cannot spawn ${input.shellPath}: ${err.message}` })));
}

/**
 * Signals the whole process group. A group that is gone (ESRCH) is not an error, nor one we may
 * not signal (EPERM): that is no longer our task's group but another user's.
 */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (err) {
    if (isErrno(err, 'ESRCH') || isErrno(err, 'EPERM')) return false;
    throw err;
  }
}

export function readRecordedExitStatus(sandbox: string): number | undefined {
  try {
    return parseExitStatus(fs.readFileSync(path.join(sandbox, EXIT_STATUS_FILE), 'utf8'));
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return undefined;
    throw err;
  }
}
