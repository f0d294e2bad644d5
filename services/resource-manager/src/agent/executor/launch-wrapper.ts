// The tiny shell that stands between the agent and a task. It
//  1. moves itself into the task's cgroup(s) before any user code runs (no window in which the
//     task could allocate or fork outside its limits); if it cannot, it exits 125 at once;
//  2. runs the command as its child and stays its parent, so the exit status is known even when
//     the agent died meanwhile: it writes `$?` to <sandbox>/.exit_status. A builtin echo, so a
//     task's odd PATH cannot break it; it is read only once the wrapper is gone, so never torn;
//  3. catches TERM/INT/HUP with a no-op so a kill of the process group reaches the command while
//     the wrapper lives on to record how it ended (a trap, unlike an ignore, is reset by exec, so
//     the command still gets the default action). SIGKILL ends it too: then no status is written.
// It is spawned detached (setsid), so the task is its own process group and session and survives
// the agent's death.

import { WRAPPER_JOIN_FAILED_EXIT } from './task-status';

export const EXIT_STATUS_FILE = '.exit_status';

export const WRAPPER_SCRIPT = [
  'status_file=$1; n=$2; shift 2',
  'while [ "$n" -gt 0 ]; do',
  `  echo $$ > "$1" || { echo "ensemble: cannot join cgroup $1" >&2; exit ${WRAPPER_JOIN_FAILED_EXIT}; }`,
  '  n=$((n - 1)); shift',
  'done',
  "trap ':' TERM INT HUP",
  '"$@"',
  'code=$?',
  'echo "$code" > "$status_file"',
  'exit "$code"',
].join('\n');

/** The wrapper's $0, visible in ps. */
export const WRAPPER_NAME = 'ensemble-task';

export interface WrapperInput {
  readonly exitStatusFile: string;
  /** cgroup.procs files to join, in order; empty when running unisolated. */
  readonly procsFiles: readonly string[];
  readonly argv: readonly string[];
}

/** Arguments for `spawn(shellPath, wrapperArgs(...))`. */
export function wrapperArgs(input: WrapperInput): string[] {
  return ['-c', WRAPPER_SCRIPT, WRAPPER_NAME, input.exitStatusFile, String(input.procsFiles.length), ...input.procsFiles, ...input.argv];
}

/** The content of .exit_status: a decimal status and a newline; anything else is unknown. */
export function parseExitStatus(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^\d{1,3}$/.test(trimmed)) return undefined;
  const code = Number(trimmed);
  return code <= 255 ? code : undefined;
}
