// Starts real coordination server processes for the client's integration tests.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freeTmpDir, settlesWithin, startServiceProcess, waitFor, type ServiceProcess, type TmpDir } from '@ensemble/common';
import { CoordClient, type ConnectOptions } from '../../src';

export const REPO_ROOT = path.resolve(__dirname, '../../../..');
export const SERVER_MAIN = path.join(REPO_ROOT, 'services/coordination/dist/main.js');
export const COORDCTL = path.join(REPO_ROOT, 'packages/coord-client/dist/cli/coordctl.js');
export const FIXTURE = path.join(REPO_ROOT, 'packages/coord-client/test/fixtures/recipe-worker.js');
export { settlesWithin, waitFor };

export interface TestServer {
  port: number;
  connectString: string;
  proc: ServiceProcess;
  stop(): Promise<void>;
}

export async function startServer(opts: { minSessionTimeoutMs?: number; maxSessionTimeoutMs?: number } = {}): Promise<TestServer> {
  if (!fs.existsSync(SERVER_MAIN)) throw new Error(`${SERVER_MAIN} is missing: run \`npx tsc -b\` first`);
  const dir: TmpDir = freeTmpDir('coord-client-it');
  const args = ['--host', '127.0.0.1', '--port', '0', '--admin-port', '0', '--data-dir', dir.path];
  args.push('--min-session-timeout', String(opts.minSessionTimeoutMs ?? 200));
  if (opts.maxSessionTimeoutMs !== undefined) args.push('--max-session-timeout', String(opts.maxSessionTimeoutMs));
  const proc = await startServiceProcess({ command: SERVER_MAIN, args, readyMsg: 'listening' });
  const port = Number(proc.ready.clientPort);
  return {
    port,
    connectString: `127.0.0.1:${port}`,
    proc,
    stop: async () => {
      await proc.stop();
      dir.cleanup();
    },
  };
}

/** Clients opened through here are closed by closeAll() in afterEach/afterAll. */
export class ClientPool {
  private readonly clients: CoordClient[] = [];

  constructor(private readonly connectString: () => string) {}

  async open(opts: ConnectOptions = {}): Promise<CoordClient> {
    const client = await CoordClient.connect(this.connectString(), { sessionTimeoutMs: 5000, ...opts });
    this.clients.push(client);
    return client;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.clients.splice(0).map((c) => c.close()));
  }
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a node script to completion (bounded by timeoutMs) and captures its output. */
export function runNode(script: string, args: string[], opts: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${path.basename(script)} ${args.join(' ')} did not finish in ${opts.timeoutMs ?? 15000} ms\n${stdout}\n${stderr}`));
    }, opts.timeoutMs ?? 15000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A promise and its resolver, for callbacks. */
export function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve: (v: T) => void = () => undefined;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Seeded PRNG (mulberry32) for reproducible random scenarios. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
