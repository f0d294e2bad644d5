// Declarative service options: one schema per entry point, read from flags and the environment.
// Precedence: flag > env > default. Every bad input is a ConfigError naming the flag, the env var
// and the offending value, so an operator can fix a compose or k8s file without reading code.

export type OptionType = 'string' | 'int' | 'bool' | 'duration' | 'bytes' | 'list' | 'hostport' | 'enum';

export interface HostPort {
  host: string;
  port: number;
}

export interface OptionSpec {
  /** Flag name in kebab-case, without dashes: 'client-port' is given as --client-port. */
  readonly name: string;
  /** Environment variable read when the flag is absent. */
  readonly env: string;
  readonly type: OptionType;
  /** A raw string (parsed like a flag value) or an already-typed value. */
  readonly default?: string | number | boolean | readonly string[] | HostPort;
  /** Bounds for int, duration (ms) and bytes; for list, bounds on the number of entries. */
  readonly min?: number;
  readonly max?: number;
  /** Allowed values of an enum option. */
  readonly choices?: readonly string[];
  readonly required?: boolean;
  readonly description: string;
}

export type OptionSchema = readonly OptionSpec[];

type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;

type ValueOf<O extends OptionSpec> = O extends { type: 'enum'; choices: readonly (infer C)[] }
  ? C
  : O['type'] extends 'int' | 'duration' | 'bytes'
    ? number
    : O['type'] extends 'bool'
      ? boolean
      : O['type'] extends 'list'
        ? string[]
        : O['type'] extends 'hostport'
          ? HostPort
          : string;

// Bools always have a value (false when absent); others only when required or defaulted.
type Presence<O extends OptionSpec> = O extends { required: true } | { default: unknown } | { type: 'bool' }
  ? ValueOf<O>
  : ValueOf<O> | undefined;

export type ConfigOf<S extends OptionSchema> = {
  -readonly [O in S[number] as CamelCase<O['name']>]: Presence<O>;
};

/**
 * The parsed options plus `help`. When `help` is true the caller prints formatHelp() and exits:
 * required options are not checked then, so their fields may be missing.
 */
export type ParsedConfig<S extends OptionSchema> = ConfigOf<S> & { help: boolean };

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly flag?: string,
    readonly env?: string,
    readonly value?: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Keeps the literal types of a schema so parseConfig can return precise field types. */
export function defineOptions<const S extends OptionSchema>(schema: S): S {
  checkSchema(schema);
  return schema;
}

export function camelCase(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** Flags a schema accepts, with their dashes; bools also as --no-<name>. Includes --help. */
export function listFlags(schema: OptionSchema): string[] {
  const flags = schema.flatMap((o) => (o.type === 'bool' ? [`--${o.name}`, `--no-${o.name}`] : [`--${o.name}`]));
  return [...flags, '--help'];
}

/** Environment variables a schema reads. */
export function listEnvVars(schema: OptionSchema): string[] {
  return schema.map((o) => o.env);
}

export function parseConfig<const S extends OptionSchema>(
  schema: S,
  argv: readonly string[] = process.argv.slice(2),
  env: Readonly<Record<string, string | undefined>> = process.env,
): ParsedConfig<S> {
  checkSchema(schema);
  const { raw, help } = readFlags(schema, argv);
  const out: Record<string, unknown> = { help };
  for (const spec of schema) {
    out[camelCase(spec.name)] = resolveOption(spec, raw.get(spec.name), env[spec.env], help);
  }
  return out as ParsedConfig<S>;
}

function resolveOption(spec: OptionSpec, flagValues: string[] | undefined, envValue: string | undefined, help: boolean): unknown {
  if (flagValues !== undefined) {
    // Repeated list flags accumulate (--peer a --peer b); other repeated flags: the last wins.
    const given = spec.type === 'list' ? flagValues.join(',') : flagValues[flagValues.length - 1];
    return parseValue(spec, given);
  }
  // An empty variable counts as unset: compose files often write `FOO=` to mean "not given".
  if (envValue !== undefined && envValue !== '') return parseValue(spec, envValue);
  if (spec.default !== undefined) return typeof spec.default === 'string' ? parseValue(spec, spec.default) : copyDefault(spec.default);
  if (spec.type === 'bool') return false;
  if (spec.required && !help) throw optionError(spec, `is required (set --${spec.name} or ${spec.env})`);
  return undefined;
}

function copyDefault(value: Exclude<OptionSpec['default'], string | undefined>): unknown {
  if (Array.isArray(value)) return [...value];
  if (typeof value === 'object') return { ...(value as HostPort) };
  return value;
}

interface FlagRead {
  raw: Map<string, string[]>;
  help: boolean;
}

function readFlags(schema: OptionSchema, argv: readonly string[]): FlagRead {
  const byName = new Map(schema.map((o) => [o.name, o]));
  const raw = new Map<string, string[]>();
  let help = false;
  const put = (name: string, value: string) => raw.set(name, [...(raw.get(name) ?? []), value]);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (!arg.startsWith('--') || arg === '--') throw new ConfigError(`unexpected argument '${arg}' (options are given as --name value)`);
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    const spec = byName.get(name);
    if (!spec) {
      const negated = name.startsWith('no-') ? byName.get(name.slice(3)) : undefined;
      if (negated && negated.type !== 'bool') throw optionError(negated, `is not a boolean option, so --${name} is not accepted`);
      if (negated && inline !== undefined) throw optionError(negated, `--${name} takes no value`);
      if (negated) {
        put(negated.name, 'false');
        continue;
      }
      throw unknownFlag(schema, name);
    }
    if (spec.type === 'bool') {
      put(name, inline ?? 'true');
      continue;
    }
    if (inline !== undefined) {
      put(name, inline);
      continue;
    }
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) throw optionError(spec, 'needs a value');
    put(name, next);
    i++;
  }
  return { raw, help };
}

function unknownFlag(schema: OptionSchema, name: string): ConfigError {
  const candidates = listFlags(schema).map((f) => f.slice(2));
  const best = closest(name, candidates);
  const hint = best ? ` (did you mean --${best}?)` : '';
  return new ConfigError(`unknown option --${name}${hint}`, `--${name}`);
}

/** The candidate within a small edit distance (or sharing a clear prefix), if any. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  const limit = Math.max(2, Math.floor(word.length / 4));
  if (best !== undefined && bestDistance <= limit) return best;
  return candidates.find((c) => word.length >= 3 && (c.startsWith(word) || word.startsWith(c)));
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_v, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
    }
    prev = cur;
  }
  return prev[b.length];
}

function optionError(spec: OptionSpec, problem: string, value?: string): ConfigError {
  return new ConfigError(`--${spec.name} (${spec.env}): ${problem}`, `--${spec.name}`, spec.env, value);
}

function valueError(spec: OptionSpec, value: string, problem: string): ConfigError {
  return optionError(spec, `'${value}' ${problem}`, value);
}

function parseValue(spec: OptionSpec, value: string): unknown {
  switch (spec.type) {
    case 'string':
      return value;
    case 'int':
      return checkRange(spec, value, parseInteger(spec, value), String);
    case 'bool':
      return parseBool(spec, value);
    case 'duration':
      return checkRange(spec, value, parseDurationMs(spec, value), (n) => `${n}ms`);
    case 'bytes':
      return checkRange(spec, value, parseBytes(spec, value), (n) => `${n} bytes`);
    case 'list':
      return parseList(spec, value);
    case 'hostport':
      return parseHostPort(spec, value);
    case 'enum':
      if (!spec.choices?.includes(value)) throw valueError(spec, value, `is not one of ${spec.choices?.join(', ')}`);
      return value;
  }
}

function checkRange(spec: OptionSpec, value: string, n: number, show: (n: number) => string): number {
  if (spec.min !== undefined && n < spec.min) throw valueError(spec, value, `is below the minimum ${show(spec.min)}`);
  if (spec.max !== undefined && n > spec.max) throw valueError(spec, value, `is above the maximum ${show(spec.max)}`);
  return n;
}

function parseInteger(spec: OptionSpec, value: string): number {
  const n = Number(value.trim());
  if (!/^\s*-?\d+\s*$/.test(value) || !Number.isSafeInteger(n)) throw valueError(spec, value, 'is not an integer');
  return n;
}

const BOOL_WORDS: Record<string, boolean> = { true: true, false: false, '1': true, '0': false, yes: true, no: false, on: true, off: false };

function parseBool(spec: OptionSpec, value: string): boolean {
  const b = BOOL_WORDS[value.trim().toLowerCase()];
  if (b === undefined) throw valueError(spec, value, 'is not a boolean (true/false, 1/0, yes/no, on/off)');
  return b;
}

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** '500ms', '10s', '2m', '1h', '1.5s' or plain milliseconds; the result is in whole ms. */
function parseDurationMs(spec: OptionSpec, value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(value);
  if (!m) throw valueError(spec, value, 'is not a duration (like 500ms, 10s, 2m or plain milliseconds)');
  const ms = Math.round(Number(m[1]) * DURATION_UNITS_MS[m[2] ?? 'ms']);
  if (!Number.isSafeInteger(ms)) throw valueError(spec, value, 'is too large');
  return ms;
}

const BYTE_UNITS: Record<string, number> = {
  b: 1,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
  tb: 1000 ** 4,
};

/** '64MiB', '1KiB', '10MB' (decimal), '512' (bytes); the result is in whole bytes. */
function parseBytes(spec: OptionSpec, value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]+)?\s*$/.exec(value);
  const unit = m ? BYTE_UNITS[(m[2] ?? 'b').toLowerCase()] : undefined;
  if (!m || unit === undefined) throw valueError(spec, value, 'is not a size (like 512, 1KiB, 64MiB)');
  const bytes = Math.round(Number(m[1]) * unit);
  if (!Number.isSafeInteger(bytes)) throw valueError(spec, value, 'is too large');
  return bytes;
}

function parseList(spec: OptionSpec, value: string): string[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (spec.min !== undefined && items.length < spec.min) throw valueError(spec, value, `has fewer than ${spec.min} entries`);
  if (spec.max !== undefined && items.length > spec.max) throw valueError(spec, value, `has more than ${spec.max} entries`);
  return items;
}

/** 'host:port' or '[v6addr]:port', port 0..65535 (0 = pick a free port). */
function parseHostPort(spec: OptionSpec, value: string): HostPort {
  const m = /^\s*(?:\[([^\]]+)\]|([^:\s[\]]+)):(\d{1,5})\s*$/.exec(value);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw valueError(spec, value, 'is not host:port (like 127.0.0.1:2181 or [::1]:2181)');
  return { host: m[1] ?? m[2], port };
}

/** Schema mistakes are bugs in the service, not operator errors: they throw plain Errors. */
function checkSchema(schema: OptionSchema): void {
  const names = new Set<string>();
  const envs = new Set<string>();
  for (const o of schema) {
    if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(o.name)) throw new Error(`option name '${o.name}' must be kebab-case`);
    if (o.name === 'help' || o.name.startsWith('no-')) throw new Error(`option name '${o.name}' is reserved`);
    if (!/^[A-Z][A-Z0-9_]*$/.test(o.env)) throw new Error(`option '${o.name}': env '${o.env}' must be UPPER_SNAKE_CASE`);
    if (names.has(o.name) || envs.has(o.env)) throw new Error(`option '${o.name}' (${o.env}) is declared twice`);
    if (o.type === 'enum' && !(o.choices && o.choices.length > 0)) throw new Error(`enum option '${o.name}' needs choices`);
    names.add(o.name);
    envs.add(o.env);
  }
}

export function formatHelp(schema: OptionSchema, title: string): string {
  const rows = schema.map((o) => [flagUsage(o), describe(o)] as const);
  rows.push(['--help', 'show this help and exit']);
  const width = Math.min(36, Math.max(...rows.map(([flag]) => flag.length)) + 2);
  const lines = rows.map(([flag, text]) => (flag.length + 2 > width ? `  ${flag}\n  ${' '.repeat(width)}${text}` : `  ${flag.padEnd(width)}${text}`));
  return `${title}\n\nOptions (flag > environment > default):\n${lines.join('\n')}\n`;
}

function flagUsage(o: OptionSpec): string {
  if (o.type === 'bool') return `--[no-]${o.name}`;
  const placeholder = o.type === 'enum' ? (o.choices ?? []).join('|') : o.type;
  return `--${o.name} <${placeholder}>`;
}

function describe(o: OptionSpec): string {
  const extras = [`env ${o.env}`];
  if (o.required) extras.push('required');
  if (o.default !== undefined) extras.push(`default ${showDefault(o.default)}`);
  if (o.min !== undefined) extras.push(`min ${o.min}`);
  if (o.max !== undefined) extras.push(`max ${o.max}`);
  return `${o.description} (${extras.join(', ')})`;
}

function showDefault(value: NonNullable<OptionSpec['default']>): string {
  if (Array.isArray(value)) return value.join(',') || "''";
  if (typeof value === 'object') return `${(value as HostPort).host}:${(value as HostPort).port}`;
  return String(value);
}
