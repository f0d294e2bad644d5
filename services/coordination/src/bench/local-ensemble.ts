// The benchmark's local coordination servers: one standalone server, or an ensemble of 3 or 5
// on 127.0.0.1 (fsync on unless told otherwise), with what the failover measurement needs —
// find the leader, kill -9 it, restart it and wait until it has caught up.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { SERVER_NODE_FLAGS } from '../heap-growth';

const MAIN = path.resolve(__dirname, '../main.js');
const READY_TIMEOUT_MS = 30_000;

interface Member {
  id: number;
  clientPort: number;
  peerPort: number;
  adminPort: number;
  dir: string;
  child: ChildProcess | null;
}

export interface LocalServerOptions {
  /** fdatasync every log write (as in production); off only to measure without the disk. */
  fsync: boolean;
  /** Where each server's whole log goes (coord-<pid>.log), for a run that needs explaining. */
  logDir?: string;
  /** Flags of every server's node process besides SERVER_NODE_FLAGS (later ones win): V8's heap sizes, say. */
  nodeFlags?: readonly string[];
}

export interface LocalServers {
  connectString: string;
  /** The leader's id (waits until the running members agree on one). */
  leader(): Promise<number>;
  kill9(id: number): Promise<void>;
  restart(id: number): Promise<void>;
  /** Waits until every running member has applied the leader's commit index. */
  converged(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Ports free on 127.0.0.1 a moment ago (the servers bind them right after), picked below Linux's
 * ephemeral range (32768-60999): a member keeps its ports across a kill and a restart, and a port
 * in that range can meanwhile become the local end of any outgoing connection (EADDRINUSE on
 * the restart).
 */
export async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  for (let tries = 0; ports.length < count; tries++) {
    if (tries === 1000) throw new Error(`no ${count} free ports found in ${FIXED_PORTS.min}-${FIXED_PORTS.max}`);
    const port = FIXED_PORTS.min + Math.floor(Math.random() * (FIXED_PORTS.max - FIXED_PORTS.min + 1));
    if (!ports.includes(port) && (await canListen(port))) ports.push(port);
  }
  return ports;
}

const FIXED_PORTS = { min: 20_000, max: 32_767 };

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/**
 * Servers the bench started and that still run. They die with the bench, however it ends:
 * Ctrl-C, a closed stdout (`| head`), a crash — not only a clean stop.
 */
const live = new Set<ChildProcess>();
let reaperInstalled = false;

function killWithUs(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (reaperInstalled) return;
  reaperInstalled = true;
  process.on('exit', () => {
    for (const c of live) c.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => process.exit(128 + os.constants.signals[signal]));
}

/** Server log lines worth showing during a benchmark besides warnings and errors. */
const NOTABLE = new Set(['leader changed', 'stepped down', 'snapshot dropped: a newer one was installed meanwhile']);

/** Spawns a server and resolves with the fields of its 'listening' log line. */
function spawnServer(args: string[], opts: LocalServerOptions): Promise<{ child: ChildProcess; ready: Record<string, unknown> }> {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...(opts.nodeFlags ?? []), MAIN, ...args], { env: { ...process.env, LOG_FORMAT: 'json' }, stdio: ['ignore', 'pipe', 'inherit'] });
  killWithUs(child);
  if (opts.logDir !== undefined) child.stdout!.pipe(fs.createWriteStream(path.join(opts.logDir, `coord-${child.pid}.log`)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}`));
    });
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      let rec: Record<string, unknown>;
      try {
        rec = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return; // not a log line
      }
      if (rec.msg === 'listening') {
        clearTimeout(timer);
        resolve({ child, ready: rec });
      }
      // What would explain odd numbers (a lost leader, a slow disk) is shown, not swallowed.
      if (rec.level === 'warn' || rec.level === 'error' || NOTABLE.has(String(rec.msg))) process.stderr.write(`[${String(rec.node)}] ${line}\n`);
    });
  });
}

async function waitUntil(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface Status {
  role: string;
  leaderId: number;
  term: number;
  commitIndex: number;
  appliedIndex: number;
}

async function status(m: Member): Promise<Status> {
  const res = await fetch(`http://127.0.0.1:${m.adminPort}/status`, { signal: AbortSignal.timeout(1000) });
  return (await res.json()) as Status;
}

export async function startStandalone(opts: LocalServerOptions): Promise<LocalServers> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coord-bench-'));
  let started: Awaited<ReturnType<typeof spawnServer>>;
  try {
    started = await spawnServer(['--port', '0', '--admin-port', '0', '--data-dir', dir, ...(opts.fsync ? [] : ['--no-fsync'])], opts);
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const { child, ready } = started;
  const unsupported = async (): Promise<never> => {
    throw new Error('a standalone server has no leader to kill: use --ensemble 3');
  };
  return {
    connectString: `127.0.0.1:${Number(ready.clientPort)}`,
    leader: unsupported,
    kill9: unsupported,
    restart: unsupported,
    converged: async () => undefined,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startEnsemble(size: number, opts: LocalServerOptions): Promise<LocalServers> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'coord-bench-ensemble-'));
  const ports = await freePorts(size * 2);
  const members: Member[] = Array.from({ length: size }, (_, i) => ({
    id: i + 1, peerPort: ports[2 * i], clientPort: ports[2 * i + 1], adminPort: 0, dir: path.join(root, `s${i + 1}`), child: null,
  }));
  const serversFlag = members.map((m) => `${m.id}@127.0.0.1:${m.peerPort}:${m.clientPort}`).join(',');
  const member = (id: number): Member => members.find((m) => m.id === id)!;
  const start = async (m: Member): Promise<void> => {
    const { child, ready } = await spawnServer([
      '--servers', serversFlag, '--server-id', String(m.id), '--port', String(m.clientPort), '--admin-port', '0',
      '--data-dir', m.dir, ...(opts.fsync ? [] : ['--no-fsync']),
    ], opts);
    m.child = child;
    m.adminPort = Number(ready.adminPort);
  };
  const running = (): Member[] => members.filter((m) => m.child !== null);
  const servers: LocalServers = {
    connectString: members.map((m) => `127.0.0.1:${m.clientPort}`).join(','),
    async leader() {
      let leader = 0;
      await waitUntil('a leader', 30_000, async () => {
        const all = await Promise.all(running().map(status));
        leader = all[0].leaderId;
        return leader !== 0 && all.every((s) => s.leaderId === leader && s.term === all[0].term) && running().some((m) => m.id === leader);
      });
      return leader;
    },
    async kill9(id) {
      const m = member(id);
      const child = m.child;
      m.child = null;
      if (!child || child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
    async restart(id) {
      await start(member(id));
    },
    async converged() {
      await waitUntil('the ensemble to converge', 60_000, async () => {
        const all = await Promise.all(running().map(status));
        const leader = all.find((s) => s.role === 'leader');
        return leader !== undefined && all.every((s) => s.appliedIndex === leader.commitIndex);
      });
    },
    async stop() {
      await Promise.all(members.map((m) => servers.kill9(m.id)));
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
  await Promise.all(members.map(start));
  await servers.leader();
  return servers;
}
