// rmctl's command line, parsed into a value. Pure: argv and env in, an invocation or a usage
// error out.
import { parseResources } from '../allocator';

export const DEFAULT_COORD = '127.0.0.1:2181';
export const DEFAULT_COORD_ROOT = '/rm';
export const DEFAULT_TIMEOUT_MS = 10_000;
export const INSTANCES_MAX = 10_000;

export type Command =
  | { name: 'leader' }
  | { name: 'agents' }
  | { name: 'frameworks' }
  | { name: 'tasks'; all: boolean }
  | { name: 'run'; cpusMilli: number; memBytes: number; taskName: string; instances: number; role: string; command: string[] }
  | { name: 'kill'; taskId: string }
  | { name: 'logs'; taskId: string; follow: boolean; stderr: boolean; tailBytes: number }
  | { name: 'drain'; agentId: string }
  | { name: 'gone'; agentId: string }
  | { name: 'help' };

export interface Invocation {
  coord: string;
  coordRoot: string;
  master?: string;
  json: boolean;
  timeoutMs: number;
  command: Command;
}

export type ParseResult = { ok: true; invocation: Invocation } | { ok: false; error: string };

export const USAGE = `Usage: rmctl [--coord host:port,...] [--coord-root /rm] [--master host:port] [--json] <command>

Commands:
  leader                       print the leading master's address (host:port)
  agents                       list agents: state, resources total/used, tasks
  frameworks                   list frameworks
  tasks [--all]                list live tasks (--all: finished ones too)
  run [--cpus 0.5] [--mem 64MiB] [--name n] [--instances N] [--role r] -- <command...>
                               run a command as task(s): stream state changes and output,
                               exit with the task's exit code (one argument: a shell command;
                               several: an argv)
  kill <taskId>                kill a task (SIGTERM, then SIGKILL after its grace period)
  logs [-f] [--stderr] [--tail bytes] <taskId>
                               print a task's stdout (or stderr); -f follows until it ends
  drain <agentId>              stop offering an agent and kill its tasks
  gone <agentId>               mark an agent gone for good (its tasks become TASK_GONE)

Options:
  --coord       coordination servers (default: $RM_COORD, else ${DEFAULT_COORD})
  --coord-root  root znode of the resource manager (default: $RM_COORD_ROOT, else ${DEFAULT_COORD_ROOT})
  --master      talk to this master first instead of looking the leader up
  --json        machine-readable output (one JSON document)
  --help        this text

Exit codes: 0 ok, 1 error, 2 bad usage; run: the task's exit code.`;

const GLOBAL_VALUES = ['--coord', '--coord-root', '--master', '--timeout'];
const COMMAND_VALUES: Record<string, string[]> = { run: ['--cpus', '--mem', '--name', '--instances', '--role'], logs: ['--tail'] };
const COMMAND_FLAGS: Record<string, string[]> = { tasks: ['--all', '-a'], logs: ['-f', '--follow', '--stderr'] };
const COMMANDS = ['leader', 'agents', 'frameworks', 'tasks', 'run', 'kill', 'logs', 'drain', 'gone', 'help'];

interface Scan {
  command: string;
  positionals: string[];
  values: Map<string, string>;
  flags: Set<string>;
  rest: string[];
}

function scan(argv: readonly string[]): Scan | string {
  const out: Scan = { command: '', positionals: [], values: new Map(), flags: new Set(), rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      out.rest = argv.slice(i + 1);
      break;
    }
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const takesValue = GLOBAL_VALUES.includes(name) || (COMMAND_VALUES[out.command] ?? []).includes(name);
    if (takesValue) {
      const value = inline ?? argv[++i];
      if (value === undefined) return `${name} needs a value`;
      out.values.set(name, value);
    } else if (['--json', '--help', '-h'].includes(name) || (COMMAND_FLAGS[out.command] ?? []).includes(name)) {
      out.flags.add(name);
    } else if (arg.startsWith('-') && arg !== '-') {
      return `unknown option ${arg}${out.command ? ` for ${out.command}` : ''}`;
    } else if (!out.command) {
      out.command = arg;
    } else {
      out.positionals.push(arg);
    }
  }
  return out;
}

export function parseArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ParseResult {
  const s = scan(argv);
  if (typeof s === 'string') return usage(s);
  const timeoutMs = s.values.has('--timeout') ? Number(s.values.get('--timeout')) : DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) return usage('--timeout needs a positive number of ms');
  const base = {
    coord: s.values.get('--coord') ?? env.RM_COORD ?? DEFAULT_COORD,
    coordRoot: s.values.get('--coord-root') ?? env.RM_COORD_ROOT ?? DEFAULT_COORD_ROOT,
    ...(s.values.has('--master') ? { master: s.values.get('--master') } : {}),
    json: s.flags.has('--json'),
    timeoutMs,
  };
  if (s.flags.has('--help') || s.flags.has('-h') || s.command === 'help') return { ok: true, invocation: { ...base, command: { name: 'help' } } };
  if (!s.command) return usage('missing command');
  if (!COMMANDS.includes(s.command)) return usage(`unknown command ${JSON.stringify(s.command)}`);
  const command = buildCommand(s);
  return typeof command === 'string' ? usage(command) : { ok: true, invocation: { ...base, command } };
}

function buildCommand(s: Scan): Command | string {
  const one = (): string | undefined => (s.positionals.length === 1 ? s.positionals[0] : undefined);
  switch (s.command) {
    case 'leader':
    case 'agents':
    case 'frameworks':
      return s.positionals.length > 0 ? `${s.command} takes no arguments` : { name: s.command };
    case 'tasks':
      return s.positionals.length > 0 ? 'tasks takes no arguments' : { name: 'tasks', all: s.flags.has('--all') || s.flags.has('-a') };
    case 'kill':
    case 'drain':
    case 'gone': {
      const id = one();
      if (id === undefined) return `${s.command} needs exactly one ${s.command === 'kill' ? 'task' : 'agent'} id`;
      return s.command === 'kill' ? { name: 'kill', taskId: id } : { name: s.command, agentId: id };
    }
    case 'logs': {
      const id = one();
      if (id === undefined) return 'logs needs exactly one task id';
      const tail = s.values.has('--tail') ? Number(s.values.get('--tail')) : 0;
      if (!Number.isInteger(tail) || tail < 0) return '--tail needs a number of bytes';
      return { name: 'logs', taskId: id, follow: s.flags.has('-f') || s.flags.has('--follow'), stderr: s.flags.has('--stderr'), tailBytes: tail };
    }
    case 'run':
      return buildRun(s);
    default:
      return `unknown command ${s.command}`;
  }
}

function buildRun(s: Scan): Command | string {
  const command = [...s.positionals, ...s.rest];
  if (command.length === 0) return 'run needs a command after --';
  const resources = parseResources(`cpus:${s.values.get('--cpus') ?? '0.1'};mem:${s.values.get('--mem') ?? '32MiB'}`);
  if (!resources.ok) return `run: ${resources.message}`;
  const instances = Number(s.values.get('--instances') ?? '1');
  if (!Number.isInteger(instances) || instances < 1 || instances > INSTANCES_MAX) return `--instances must be 1..${INSTANCES_MAX}`;
  const taskName = s.values.get('--name') ?? 'rmctl-run';
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(taskName)) return '--name must be 1-64 of [A-Za-z0-9_.-]';
  return { name: 'run', cpusMilli: resources.resources.cpusMilli, memBytes: resources.resources.memBytes, taskName, instances, role: s.values.get('--role') ?? '*', command };
}

function usage(error: string): ParseResult {
  return { ok: false, error };
}
