// What a launch asks for, its validation, and the environment a task sees. Pure: no I/O.

import { ExecutorLimits } from './executor-limits';

/** Mesos CommandInfo: `shell: true` runs through /bin/sh -c; otherwise argv is exec'd as is. */
export type TaskCommand = { readonly shell: string } | { readonly argv: readonly string[] };

export interface TaskResources {
  readonly cpusMilli: number;
  readonly memBytes: number;
  readonly ports: readonly number[];
}

export interface LaunchSpec {
  readonly taskId: string;
  readonly frameworkId: string;
  readonly command: TaskCommand;
  readonly env?: Readonly<Record<string, string>>;
  readonly resources: TaskResources;
  /** Directory holding `<frameworkId>/<taskId>/` sandboxes; default `<workDir>/sandboxes`. */
  readonly sandboxRoot?: string;
  /** SIGTERM→SIGKILL grace used by kill() when it is not given one. */
  readonly killGracePeriodMs?: number;
}

export type SpecErrorCode = 'INVALID_ID' | 'INVALID_COMMAND' | 'INVALID_ENV' | 'INVALID_RESOURCES' | 'INVALID_ARGUMENT';
export type SpecCheck = { ok: true } | { ok: false; code: SpecErrorCode; message: string };

const OK: SpecCheck = { ok: true };
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Names the executor sets itself; a task cannot override them, so it can trust them.
const RESERVED_ENV = /^(TASK_ID|FRAMEWORK_ID|SANDBOX|PORTS|PORT[0-9]+)$/;

function fail(code: SpecErrorCode, message: string): SpecCheck {
  return { ok: false, code, message };
}

/**
 * Ids name a sandbox directory and a checkpoint file, so they must be safe path components
 * (Mesos validates task ids the same way: no '/', not '.' or '..', no control characters).
 */
export function validateId(kind: 'task' | 'framework', id: unknown, idBytesMax: number): SpecCheck {
  if (typeof id !== 'string' || id.length === 0) return fail('INVALID_ID', `${kind} id must be a non-empty string`);
  if (Buffer.byteLength(id) > idBytesMax) return fail('INVALID_ID', `${kind} id is longer than ${idBytesMax} bytes`);
  if (id === '.' || id === '..') return fail('INVALID_ID', `${kind} id must not be '.' or '..'`);
  if (/[/\\]/.test(id)) return fail('INVALID_ID', `${kind} id must not contain '/' or '\\'`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(id)) return fail('INVALID_ID', `${kind} id must not contain control characters`);
  return OK;
}

export function validateCommand(command: TaskCommand, limits: ExecutorLimits): SpecCheck {
  if ('shell' in command) {
    if (typeof command.shell !== 'string' || command.shell.trim() === '') return fail('INVALID_COMMAND', 'shell command is empty');
    if (Buffer.byteLength(command.shell) > limits.shellCommandBytesMax) {
      return fail('INVALID_COMMAND', `shell command is longer than ${limits.shellCommandBytesMax} bytes`);
    }
    return command.shell.includes('\0') ? fail('INVALID_COMMAND', 'shell command contains NUL') : OK;
  }
  if (!Array.isArray(command.argv) || command.argv.length === 0) return fail('INVALID_COMMAND', 'argv is empty');
  if (command.argv.length > limits.argvEntriesMax) return fail('INVALID_COMMAND', `argv has more than ${limits.argvEntriesMax} entries`);
  for (const arg of command.argv) {
    if (typeof arg !== 'string' || arg.includes('\0')) return fail('INVALID_COMMAND', 'argv entries must be strings without NUL');
    if (Buffer.byteLength(arg) > limits.argBytesMax) return fail('INVALID_COMMAND', `an argv entry is longer than ${limits.argBytesMax} bytes`);
  }
  return command.argv[0] === '' ? fail('INVALID_COMMAND', 'argv[0] is empty') : OK;
}

export function validateEnv(env: Readonly<Record<string, string>>, limits: ExecutorLimits): SpecCheck {
  const entries = Object.entries(env);
  if (entries.length > limits.envEntriesMax) return fail('INVALID_ENV', `more than ${limits.envEntriesMax} environment variables`);
  let bytes = 0;
  for (const [name, value] of entries) {
    if (!ENV_NAME.test(name)) return fail('INVALID_ENV', `environment variable name '${name}' is not [A-Za-z_][A-Za-z0-9_]*`);
    if (RESERVED_ENV.test(name)) return fail('INVALID_ENV', `environment variable ${name} is set by the executor`);
    if (typeof value !== 'string' || value.includes('\0')) return fail('INVALID_ENV', `environment variable ${name} must be a string without NUL`);
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value);
  }
  return bytes > limits.envBytesMax ? fail('INVALID_ENV', `environment is larger than ${limits.envBytesMax} bytes`) : OK;
}

export function validateResources(res: TaskResources, limits: ExecutorLimits): SpecCheck {
  if (!Number.isSafeInteger(res.cpusMilli) || res.cpusMilli < limits.cpusMilliMin) {
    return fail('INVALID_RESOURCES', `cpusMilli must be an integer >= ${limits.cpusMilliMin}`);
  }
  if (!Number.isSafeInteger(res.memBytes) || res.memBytes < limits.memBytesMin) {
    return fail('INVALID_RESOURCES', `memBytes must be an integer >= ${limits.memBytesMin}`);
  }
  if (!Array.isArray(res.ports) || res.ports.length > limits.portsMax) return fail('INVALID_RESOURCES', `at most ${limits.portsMax} ports`);
  for (const port of res.ports) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) return fail('INVALID_RESOURCES', `port ${String(port)} is not in 1..65535`);
  }
  return OK;
}

export function validateLaunchSpec(spec: LaunchSpec, limits: ExecutorLimits): SpecCheck {
  const checks = [
    () => validateId('task', spec.taskId, limits.idBytesMax),
    () => validateId('framework', spec.frameworkId, limits.idBytesMax),
    () => validateCommand(spec.command, limits),
    () => validateEnv(spec.env ?? {}, limits),
    () => validateResources(spec.resources, limits),
    () => validateGracePeriod(spec.killGracePeriodMs, limits),
  ];
  for (const check of checks) {
    const result = check();
    if (!result.ok) return result;
  }
  return OK;
}

export function validateGracePeriod(gracePeriodMs: number | undefined, limits: ExecutorLimits): SpecCheck {
  if (gracePeriodMs === undefined) return OK;
  if (!Number.isSafeInteger(gracePeriodMs) || gracePeriodMs < 0 || gracePeriodMs > limits.gracePeriodMsMax) {
    return fail('INVALID_ARGUMENT', `grace period must be an integer in 0..${limits.gracePeriodMsMax} ms`);
  }
  return OK;
}

export interface TaskEnvInput {
  readonly taskId: string;
  readonly frameworkId: string;
  readonly sandbox: string;
  readonly ports: readonly number[];
  readonly env: Readonly<Record<string, string>>;
  /** PATH given to tasks that do not set their own. */
  readonly defaultPath: string;
}

/**
 * The task's environment: not the agent's (it may hold secrets), only PATH, the task's own
 * variables, and what the executor promises: TASK_ID, FRAMEWORK_ID, SANDBOX, PORT0..PORTn and
 * PORTS (comma-separated, Marathon's convention).
 */
export function buildTaskEnv(input: TaskEnvInput): Record<string, string> {
  const env: Record<string, string> = { PATH: input.defaultPath, HOME: input.sandbox, ...input.env };
  env.TASK_ID = input.taskId;
  env.FRAMEWORK_ID = input.frameworkId;
  env.SANDBOX = input.sandbox;
  input.ports.forEach((port, i) => {
    env[`PORT${i}`] = String(port);
  });
  env.PORTS = input.ports.join(',');
  return env;
}

/** The argv the launch wrapper runs for a command: a shell command goes through /bin/sh -c. */
export function commandArgv(command: TaskCommand, shellPath: string): string[] {
  return 'shell' in command ? [shellPath, '-c', command.shell] : [...command.argv];
}
