import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';

// Integration-test harness: runs a service as a real process, follows its JSON log lines and
// treats "a line with msg X" as the readiness signal, so tests never sleep to synchronise.

export type LogLine = Record<string, unknown> & { msg?: string };

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServiceProcessOptions {
  /** Path of the node script to run. */
  command: string;
  args: string[];
  env?: Record<string, string | undefined>;
  /** Options for node itself, before the script (e.g. ['--enable-source-maps']). */
  nodeArgs?: string[];
  /** The `msg` of the log line meaning "ready"; default 'listening'. */
  readyMsg?: string;
  timeoutMs?: number;
}

export interface ServiceProcess {
  child: ChildProcess;
  pid: number;
  /** Fields of the ready line (ports and the like). */
  ready: LogLine;
  /** Every parsed stdout line so far, oldest first; keeps growing (the oldest drop past LOG_LINES_MAX). */
  lines: LogLine[];
  /** Resolves with the first line (at or after absolute index sinceIndex) that matches. */
  waitForLine(predicate: (line: LogLine) => boolean, timeoutMs?: number, sinceIndex?: number): Promise<LogLine>;
  /** Sends signal, waits for the exit; SIGKILLs after timeoutMs. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<ExitInfo>;
  kill9(): Promise<ExitInfo>;
  /** Sends a signal without waiting (SIGSTOP to pause, SIGCONT to resume). */
  stopSignal(signal: NodeJS.Signals): void;
  /** Total lines seen so far, for waitForLine(..., sinceIndex). */
  lineCount(): number;
  stderrTail(): string;
  exited: Promise<ExitInfo>;
}

export const LOG_LINES_MAX = 100_000;
const STDERR_TAIL_CHARS = 8192;
const DEFAULT_START_TIMEOUT_MS = 15_000;
const DEFAULT_WAIT_TIMEOUT_MS = 10_000;
/** After 'exit', how long to wait for the stdio pipes to close (a grandchild may hold them). */
const CLOSE_AFTER_EXIT_MS = 2000;

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** SIGKILLs every process started here and still running. Call from afterAll. */
export function killAllServiceProcesses(): void {
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  running.clear();
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort when a test forgot to stop its processes: the test runner's worker is exiting.
  process.on('exit', killAllServiceProcesses);
}

interface Waiter {
  predicate: (line: LogLine) => boolean;
  resolve: (line: LogLine) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

class LineFollower {
  readonly lines: LogLine[] = [];
  private dropped = 0;
  private waiters = new Set<Waiter>();
  private stderr = '';
  private exitedInfo: ExitInfo | undefined;

  constructor(private readonly label: string) {}

  count(): number {
    return this.dropped + this.lines.length;
  }

  addStdout(raw: string): void {
    const line = parseLine(raw);
    this.lines.push(line);
    if (this.lines.length > LOG_LINES_MAX) {
      const drop = Math.ceil(LOG_LINES_MAX / 10);
      this.lines.splice(0, drop);
      this.dropped += drop;
    }
    for (const w of this.waiters) if (w.predicate(line)) this.settle(w, () => w.resolve(line));
  }

  addStderr(chunk: string): void {
    this.stderr = (this.stderr + chunk).slice(-STDERR_TAIL_CHARS);
  }

  stderrTail(): string {
    return this.stderr;
  }

  onExit(info: ExitInfo): void {
    this.exitedInfo = info;
    for (const w of this.waiters) this.settle(w, () => w.reject(this.failure(`exited (${describeExit(info)})`)));
  }

  wait(predicate: (line: LogLine) => boolean, timeoutMs: number, sinceIndex: number): Promise<LogLine> {
    const found = this.lines.slice(Math.max(0, sinceIndex - this.dropped)).find(predicate);
    if (found) return Promise.resolve(found);
    if (this.exitedInfo) return Promise.reject(this.failure(`exited (${describeExit(this.exitedInfo)})`));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => this.settle(waiter, () => reject(this.failure(`no matching log line within ${timeoutMs}ms`))), timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  failure(what: string): Error {
    const recent = this.lines.slice(-10).map((l) => JSON.stringify(l)).join('\n');
    return new Error(`${this.label} ${what}\n--- last stdout lines:\n${recent}\n--- stderr tail:\n${this.stderr}`);
  }

  private settle(w: Waiter, action: () => void): void {
    if (!this.waiters.delete(w)) return;
    clearTimeout(w.timer);
    action();
  }
}

function parseLine(raw: string): LogLine {
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as LogLine;
  } catch {
    // Not one of our log lines (a stray console.log): kept verbatim under `raw`.
  }
  return { raw };
}

function describeExit(info: ExitInfo): string {
  return info.signal ? `signal ${info.signal}` : `code ${info.code}`;
}

export async function startServiceProcess(opts: ServiceProcessOptions): Promise<ServiceProcess> {
  installExitHook();
  const readyMsg = opts.readyMsg ?? 'listening';
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), opts.command, ...opts.args], {
    env: { ...process.env, ...opts.env, LOG_FORMAT: 'json' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const follower = new LineFollower(`${path.basename(opts.command)} (pid ${child.pid})`);
  readline.createInterface({ input: child.stdout! }).on('line', (raw) => follower.addStdout(raw));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => follower.addStderr(chunk));
  const exited = watchExit(child, follower);
  const handle = buildHandle(child, follower, exited);
  try {
    const ready = await follower.wait((l) => l.msg === readyMsg, opts.timeoutMs ?? DEFAULT_START_TIMEOUT_MS, 0);
    return { ...handle, ready };
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    throw err;
  }
}

function watchExit(child: ChildProcess, follower: LineFollower): Promise<ExitInfo> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (info: ExitInfo) => {
      if (done) return;
      done = true;
      running.delete(child);
      follower.onExit(info);
      resolve(info);
    };
    child.once('error', (err) => {
      follower.addStderr(`spawn error: ${err.message}\n`);
      if (child.pid === undefined) finish({ code: null, signal: null });
    });
    child.once('exit', (code, signal) => {
      const info: ExitInfo = { code, signal };
      const timer = setTimeout(() => finish(info), CLOSE_AFTER_EXIT_MS);
      child.once('close', () => {
        clearTimeout(timer);
        finish(info);
      });
    });
  });
}

function buildHandle(child: ChildProcess, follower: LineFollower, exited: Promise<ExitInfo>): Omit<ServiceProcess, 'ready'> {
  const isRunning = () => child.exitCode === null && child.signalCode === null;
  const stop = async (signal: NodeJS.Signals = 'SIGTERM', timeoutMs = DEFAULT_WAIT_TIMEOUT_MS): Promise<ExitInfo> => {
    if (isRunning()) child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeoutMs)));
    const first = await Promise.race([exited, late]);
    clearTimeout(timer);
    if (first !== 'late') return first;
    if (isRunning()) child.kill('SIGKILL');
    return exited;
  };
  return {
    child,
    pid: child.pid ?? -1,
    lines: follower.lines,
    waitForLine: (predicate, timeoutMs = DEFAULT_WAIT_TIMEOUT_MS, sinceIndex = 0) => follower.wait(predicate, timeoutMs, sinceIndex),
    stop,
    kill9: () => stop('SIGKILL'),
    stopSignal: (signal) => {
      if (isRunning()) child.kill(signal);
    },
    lineCount: () => follower.count(),
    stderrTail: () => follower.stderrTail(),
    exited,
  };
}

export interface WaitForOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Named in the timeout error. */
  what?: string;
}

/** Polls predicate until it holds; rejects after timeoutMs (the last predicate error as cause). */
export async function waitFor(predicate: () => boolean | Promise<boolean>, opts: WaitForOptions = {}): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
  const intervalMs = opts.intervalMs ?? 25;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (true) {
    try {
      if (await predicate()) return;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      throw new Error(`waitFor${opts.what ? ` ${opts.what}` : ''}: condition not met within ${timeoutMs}ms`, { cause: lastError });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** `promise`, or a rejection after `ms` that names `what` (the timer is cleared either way). */
export async function settlesWithin<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not settled within ${ms} ms`)), ms)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

export interface TmpDir {
  path: string;
  cleanup(): void;
}

/** A fresh directory under the OS temp dir; cleanup removes it and everything in it. */
export function freeTmpDir(prefix: string): TmpDir {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix.replace(/[^A-Za-z0-9_-]/g, '_')}-`));
  return { path: dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
