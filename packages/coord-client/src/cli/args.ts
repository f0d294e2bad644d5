// coordctl's command line, parsed into a value. Pure: argv and env in, an invocation or a usage
// error out.
import type { CreateMode } from '../types';

export const DEFAULT_SERVER = '127.0.0.1:2181';
export const DEFAULT_TIMEOUT_MS = 5000;

export type Command =
  | { name: 'create'; path: string; data?: string; mode: CreateMode; ttlMs?: number }
  | { name: 'get'; path: string }
  | { name: 'set'; path: string; data: string; version: number }
  | { name: 'stat'; path: string }
  | { name: 'ls'; path: string }
  | { name: 'rm'; path: string; version: number; recursive: boolean }
  | { name: 'sync'; path: string }
  | { name: 'watch'; path: string; recursive: boolean }
  | { name: 'tree'; path: string }
  | { name: 'help' };

export interface Invocation {
  server: string;
  json: boolean;
  timeoutMs: number;
  command: Command;
}

export type ParseResult = { ok: true; invocation: Invocation } | { ok: false; error: string };

export const USAGE = `Usage: coordctl [--server host:port[,host:port...]] [--json] [--timeout ms] <command>

Commands:
  create [-e] [-s] [-c] [--ttl ms] <path> [data]   create a node (-e ephemeral, -s sequential,
                                                  -c container, --ttl ms: removed when unused)
  get <path>                                      print a node's data
  set [-v version] <path> <data>                  replace a node's data (only at that version)
  stat <path>                                     print a node's stat
  ls <path>                                       list a node's children
  rm [-v version] [-r] <path>                     delete a node (-r: with everything below it)
  sync <path>                                     catch the server up with the leader
  watch [--recursive] <path>                      print change events until Ctrl-C
  tree <path>                                     print the subtree

Options:
  --server   servers to try (default: $COORD_SERVER, else ${DEFAULT_SERVER})
  --json     machine-readable output
  --timeout  connect timeout in ms (default ${DEFAULT_TIMEOUT_MS})
  --help     this text

Exit codes: 0 ok, 1 the service reported an error (printed with ZooKeeper's name, e.g.
"Error: NoNode: /missing"), 2 bad usage.`;

interface Scan {
  positionals: string[];
  flags: Set<string>;
  values: Map<string, string>;
}

// Options that take a value, by command ('' = global).
const VALUE_OPTIONS: Record<string, string[]> = { '': ['--server', '--timeout'], create: ['--ttl'], set: ['-v'], rm: ['-v'] };
const FLAG_OPTIONS: Record<string, string[]> = {
  '': ['--json', '--help', '-h'], create: ['-e', '-s', '-c'], rm: ['-r'], watch: ['--recursive', '-r'],
};
const COMMANDS = ['create', 'get', 'set', 'stat', 'ls', 'rm', 'sync', 'watch', 'tree', 'help'];

export function parseArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ParseResult {
  const commandIndex = argv.findIndex((a, i) => !a.startsWith('-') && !isValueOf(argv, i));
  const commandName = commandIndex >= 0 ? argv[commandIndex] : '';
  if (commandName && !COMMANDS.includes(commandName)) return usage(`unknown command ${JSON.stringify(commandName)}`);
  const scan = scanOptions(argv.filter((_, i) => i !== commandIndex), commandName);
  if (typeof scan === 'string') return usage(scan);
  const server = scan.values.get('--server') ?? env.COORD_SERVER ?? DEFAULT_SERVER;
  const timeoutMs = scan.values.has('--timeout') ? parseCount(scan.values.get('--timeout') as string) : DEFAULT_TIMEOUT_MS;
  if (timeoutMs === null || timeoutMs === 0) return usage('--timeout needs a positive number of ms');
  const base = { server, json: scan.flags.has('--json'), timeoutMs };
  if (scan.flags.has('--help') || scan.flags.has('-h') || commandName === 'help') {
    return { ok: true, invocation: { ...base, command: { name: 'help' } } };
  }
  if (!commandName) return usage('missing command');
  const command = buildCommand(commandName, scan);
  return typeof command === 'string' ? usage(command) : { ok: true, invocation: { ...base, command } };
}

function isValueOf(argv: readonly string[], i: number): boolean {
  const prev = argv[i - 1];
  return i > 0 && prev !== undefined && Object.values(VALUE_OPTIONS).some((opts) => opts.includes(prev)) && !argv[i - 1].includes('=');
}

function scanOptions(args: string[], command: string): Scan | string {
  const scan: Scan = { positionals: [], flags: new Set(), values: new Map() };
  const valueOpts = [...VALUE_OPTIONS[''], ...(VALUE_OPTIONS[command] ?? [])];
  const flagOpts = [...FLAG_OPTIONS[''], ...(FLAG_OPTIONS[command] ?? [])];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      scan.positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      scan.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (valueOpts.includes(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
      if (value === undefined) return `${name} needs a value`;
      scan.values.set(name, value);
    } else if (flagOpts.includes(arg)) {
      scan.flags.add(arg);
    } else if (/^-[a-z]{2,}$/.test(arg) && [...arg.slice(1)].every((c) => flagOpts.includes(`-${c}`))) {
      for (const c of arg.slice(1)) scan.flags.add(`-${c}`); // combined short flags: -es
    } else {
      return `unknown option ${arg}${command ? ` for ${command}` : ''}`;
    }
  }
  return scan;
}

function buildCommand(name: string, scan: Scan): Command | string {
  const [path, ...rest] = scan.positionals;
  if (path === undefined) return `${name} needs a path`;
  const maxRest = name === 'create' ? 1 : name === 'set' ? 1 : 0;
  if (rest.length > maxRest) return `too many arguments for ${name}: ${rest.join(' ')}`;
  switch (name) {
    case 'create': return buildCreate(path, rest[0], scan);
    case 'set': {
      if (rest[0] === undefined) return 'set needs data';
      const version = parseVersion(scan);
      return typeof version === 'string' ? version : { name, path, data: rest[0], version };
    }
    case 'rm': {
      const version = parseVersion(scan);
      return typeof version === 'string' ? version : { name, path, version, recursive: scan.flags.has('-r') };
    }
    case 'watch': return { name, path, recursive: scan.flags.has('--recursive') || scan.flags.has('-r') };
    case 'get': case 'stat': case 'ls': case 'sync': case 'tree': return { name, path };
    default: return `unknown command ${name}`;
  }
}

function buildCreate(path: string, data: string | undefined, scan: Scan): Command | string {
  const e = scan.flags.has('-e');
  const s = scan.flags.has('-s');
  const c = scan.flags.has('-c');
  const ttlText = scan.values.get('--ttl');
  const ttlMs = ttlText === undefined ? undefined : parseCount(ttlText);
  if (ttlMs === null || ttlMs === 0) return '--ttl needs a positive number of ms';
  if (c && (e || s || ttlMs !== undefined)) return '-c (container) cannot be combined with -e, -s or --ttl';
  if (e && ttlMs !== undefined) return '--ttl cannot be used with -e (ephemeral nodes go with their session)';
  const mode = createMode(e, s, c, ttlMs !== undefined);
  const command: Command = { name: 'create', path, mode };
  if (data !== undefined) command.data = data;
  if (ttlMs !== undefined) command.ttlMs = ttlMs;
  return command;
}

function createMode(e: boolean, s: boolean, c: boolean, ttl: boolean): CreateMode {
  if (c) return 'CONTAINER';
  if (e) return s ? 'EPHEMERAL_SEQUENTIAL' : 'EPHEMERAL';
  if (ttl) return s ? 'PERSISTENT_SEQUENTIAL_WITH_TTL' : 'PERSISTENT_WITH_TTL';
  return s ? 'PERSISTENT_SEQUENTIAL' : 'PERSISTENT';
}

function parseVersion(scan: Scan): number | string {
  const text = scan.values.get('-v');
  if (text === undefined) return -1;
  return /^-?\d+$/.test(text) && Number(text) >= -1 && Number(text) <= 0x7fffffff ? Number(text) : `bad version ${text}`;
}

function parseCount(text: string): number | null {
  return /^\d+$/.test(text) && Number(text) <= Number.MAX_SAFE_INTEGER ? Number(text) : null;
}

function usage(error: string): ParseResult {
  return { ok: false, error };
}
