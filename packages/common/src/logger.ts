import * as winston from 'winston';

// JSON lines with fixed keys (ts, level, service, node, msg) then context fields; a readable
// coloured line on a terminal. Payload bytes never reach the log: Buffers become '<N bytes>'.

export type Logger = winston.Logger;
export type LogLevel = 'error' | 'warn' | 'info' | 'http' | 'verbose' | 'debug' | 'silly';
export type LogFormat = 'json' | 'pretty';

export interface LoggerOptions {
  service: string;
  node?: string;
  /** Defaults to LOG_LEVEL, then 'info'. */
  level?: string;
  /** Defaults to process.stdout. */
  stream?: NodeJS.WritableStream;
  /** Defaults to 'pretty' on a TTY unless LOG_FORMAT=json; LOG_FORMAT=pretty forces it. */
  format?: LogFormat;
  silent?: boolean;
  env?: Readonly<Record<string, string | undefined>>;
}

// winston's info keys (the triple-beam symbols, registered globally).
const LEVEL = Symbol.for('level');
const MESSAGE = Symbol.for('message');
const SPLAT = Symbol.for('splat');

const FIXED_KEYS = new Set(['ts', 'level', 'service', 'node', 'msg', 'message']);
const NESTING_MAX = 6;
const STACK_CHARS_MAX = 8192;

export function createLogger(opts: LoggerOptions): Logger {
  const env = opts.env ?? process.env;
  const level = opts.level ?? (env.LOG_LEVEL || 'info');
  if (!(level in winston.config.npm.levels)) {
    throw new Error(`unknown log level '${level}' (one of ${Object.keys(winston.config.npm.levels).join(', ')})`);
  }
  const stream = opts.stream ?? process.stdout;
  const format = opts.format ?? chooseFormat(stream, env);
  const render = format === 'json' ? renderJson : renderPretty;
  const logger: Logger = winston.createLogger({
    level,
    levels: winston.config.npm.levels,
    silent: opts.silent,
    defaultMeta: { service: opts.service, node: opts.node ?? '' },
    format: winston.format((info) => {
      // winston formats every line before its transport drops those below the level: without
      // this, a debug line on a hot path (one per session) is rendered even when debug is off.
      if (!logger.isLevelEnabled(info.level)) return false;
      (info as Record<symbol, unknown>)[MESSAGE] = render(toRecord(info));
      return info;
    })(),
    transports: [new winston.transports.Stream({ stream })],
  });
  return logger;
}

function chooseFormat(stream: NodeJS.WritableStream, env: Readonly<Record<string, string | undefined>>): LogFormat {
  if (env.LOG_FORMAT === 'json' || env.LOG_FORMAT === 'pretty') return env.LOG_FORMAT;
  return (stream as { isTTY?: boolean }).isTTY ? 'pretty' : 'json';
}

export interface LogRecord {
  ts: string;
  level: string;
  service: string;
  node: string;
  msg: string;
  [field: string]: unknown;
}

/** Turns winston's info (possibly an Error, possibly with an Error as splat) into our record. */
export function toRecord(info: winston.Logform.TransformableInfo): LogRecord {
  const bag = info as unknown as Record<string | symbol, unknown>;
  const splat = bag[SPLAT] as unknown[] | undefined;
  const splatError = splat?.find((v): v is Error => v instanceof Error);
  let msg = safeMessage(bag.message);
  const fields: Record<string, unknown> = {};
  if (info instanceof Error) {
    fields.err = serializeError(info);
  } else if (splatError) {
    // winston appends the error's message to msg and copies its stack; keep msg the event name.
    const suffix = ` ${splatError.message}`;
    if (msg.endsWith(suffix)) msg = msg.slice(0, -suffix.length);
    fields.err = serializeError(splatError);
  } else if (typeof bag.stack === 'string') {
    // A child logger hands on a plain copy of a logged Error: message and stack only.
    fields.err = { name: 'Error', message: msg, stack: bag.stack.slice(0, STACK_CHARS_MAX) };
  }
  for (const key of Object.keys(bag)) {
    if (FIXED_KEYS.has(key) || (fields.err && (key === 'stack' || key === 'cause'))) continue;
    fields[key] = sanitize(bag[key], 0, new WeakSet());
  }
  return {
    ts: new Date().toISOString(),
    level: String(bag[LEVEL] ?? bag.level),
    service: String(bag.service ?? ''),
    node: String(bag.node ?? ''),
    msg,
    ...fields,
  };
}

function safeMessage(message: unknown): string {
  if (typeof message === 'string') return message;
  if (message === undefined || message === null) return '';
  const clean = sanitize(message, 0, new WeakSet());
  return typeof clean === 'string' ? clean : JSON.stringify(clean);
}

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: unknown;
  cause?: unknown;
}

export function serializeError(err: Error, depth = 0): SerializedError {
  const out: SerializedError = { name: err.name, message: err.message };
  if (err.stack) out.stack = err.stack.slice(0, STACK_CHARS_MAX);
  const code = (err as { code?: unknown }).code;
  if (code !== undefined) out.code = code;
  if (err.cause !== undefined && depth < 3) {
    out.cause = err.cause instanceof Error ? serializeError(err.cause, depth + 1) : sanitize(err.cause, depth + 1, new WeakSet());
  }
  return out;
}

/** JSON-safe copy: bytes become '<N bytes>', errors keep message and stack, cycles and depth bounded. */
export function sanitize(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'function' || typeof value === 'symbol') return String(value);
    return value;
  }
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  if (value instanceof ArrayBuffer) return `<${value.byteLength} bytes>`;
  if (value instanceof Error) return serializeError(value);
  if (value instanceof Date) return value.toISOString();
  if (seen.has(value)) return '[Circular]';
  if (depth >= NESTING_MAX) return '[Object]';
  seen.add(value);
  if (value instanceof Map) return sanitize(Object.fromEntries(value), depth, seen);
  if (value instanceof Set) return sanitize([...value], depth, seen);
  if (Array.isArray(value)) return value.map((v) => sanitize(v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = sanitize(v, depth + 1, seen);
  return out;
}

function renderJson(record: LogRecord): string {
  return JSON.stringify(record);
}

const COLORS: Record<string, string> = { error: '31', warn: '33', info: '32', http: '36', verbose: '36', debug: '34', silly: '35' };

function renderPretty(record: LogRecord): string {
  const { ts, level, service, node, msg, ...fields } = record;
  const color = COLORS[level] ?? '0';
  const who = node ? `${service}/${node}` : service;
  const err = fields.err as SerializedError | undefined;
  delete fields.err;
  const pairs = Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  const line = `\x1b[2m${ts.slice(11, 23)}\x1b[0m \x1b[${color}m${level.toUpperCase().padEnd(5)}\x1b[0m \x1b[1m${who}\x1b[0m ${msg}`;
  const tail = pairs.length > 0 ? ` \x1b[2m${pairs.join(' ')}\x1b[0m` : '';
  const stack = err ? `\n${err.stack ?? `${err.name}: ${err.message}`}` : '';
  return line + tail + stack;
}
