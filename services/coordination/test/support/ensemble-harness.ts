// Test harness: a real ensemble of 3 or 5 coordination server processes on 127.0.0.1, with
// kill -9, SIGSTOP/SIGCONT, restarts (optionally with a wiped data directory), injected peer
// partitions and /status polling. Peers must know each other's ports before they start, so
// free ports are found by binding them briefly (freePorts); a start that loses a port race is
// retried.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freeTmpDir, startServiceProcess, waitFor, type ServiceProcess, type TmpDir } from '@ensemble/common';
import { freePorts } from '../../src/bench/local-ensemble';
import { SERVER_NODE_FLAGS } from '../../src/heap-growth';
import { SERVER_MAIN } from './coord-harness';

export { freePorts };

export interface MemberStatus {
  role: string;
  serverId: number;
  term: number;
  leaderId: number;
  commitIndex: number;
  appliedIndex: number;
  lastIndex: number;
  snapshotIndex: number;
  lastZxid: number;
  inQuorum: boolean;
  servesClients: boolean;
  peers: Array<{ id: number; connected: boolean; matchIndex: number | null; lag: number | null }>;
}

export interface Member {
  id: number;
  peerPort: number;
  clientPort: number;
  dataDir: string;
  proc: ServiceProcess | null;
  adminPort: number;
  faultPort: number;
}

export interface EnsembleOptions {
  size: 3 | 5;
  /** Extra flags for every server. */
  args?: string[];
}

const START_ATTEMPTS_MAX = 3;
const STATUS_TIMEOUT_MS = 2000;

export class Ensemble {
  private constructor(
    readonly members: Member[],
    private readonly dir: TmpDir,
    private readonly args: string[],
  ) {}

  static async start(opts: EnsembleOptions): Promise<Ensemble> {
    let lastError: unknown;
    for (let attempt = 0; attempt < START_ATTEMPTS_MAX; attempt++) {
      const dir = freeTmpDir('coord-ensemble-');
      const ports = await freePorts(opts.size * 2);
      const members: Member[] = Array.from({ length: opts.size }, (_, i) => ({
        id: i + 1, peerPort: ports[2 * i], clientPort: ports[2 * i + 1], dataDir: path.join(dir.path, `s${i + 1}`),
        proc: null, adminPort: 0, faultPort: 0,
      }));
      const ensemble = new Ensemble(members, dir, opts.args ?? []);
      try {
        await Promise.all(members.map((m) => ensemble.startMember(m.id)));
        await ensemble.waitForLeader();
        return ensemble;
      } catch (err) {
        // Most likely a port taken between finding it free and binding it: try new ports.
        lastError = err;
        await ensemble.stop();
      }
    }
    throw lastError;
  }

  get serversFlag(): string {
    return this.members.map((m) => `${m.id}@127.0.0.1:${m.peerPort}:${m.clientPort}`).join(',');
  }

  /** Connect string of the given members (default: all). */
  connectString(ids: number[] = this.members.map((m) => m.id)): string {
    return ids.map((id) => `127.0.0.1:${this.member(id).clientPort}`).join(',');
  }

  member(id: number): Member {
    const m = this.members.find((x) => x.id === id);
    if (!m) throw new Error(`no member ${id}`);
    return m;
  }

  running(): number[] {
    return this.members.filter((m) => m.proc !== null).map((m) => m.id);
  }

  async startMember(id: number): Promise<void> {
    const m = this.member(id);
    const proc = await startServiceProcess({
      command: SERVER_MAIN,
      nodeArgs: [...SERVER_NODE_FLAGS],
      args: [
        '--host', '127.0.0.1', '--port', String(m.clientPort), '--admin-port', '0', '--data-dir', m.dataDir,
        '--servers', this.serversFlag, '--server-id', String(id), '--enable-fault-injection',
        '--tick', '50ms', '--min-session-timeout', '300ms', ...this.args,
      ],
    });
    m.proc = proc;
    m.adminPort = Number(proc.ready.adminPort);
    m.faultPort = Number(proc.ready.faultPort);
  }

  async kill9(id: number): Promise<void> {
    const m = this.member(id);
    await m.proc?.kill9();
    m.proc = null;
  }

  pause(id: number): void {
    this.member(id).proc?.stopSignal('SIGSTOP');
  }

  resume(id: number): void {
    this.member(id).proc?.stopSignal('SIGCONT');
  }

  /** Restarts a stopped member, with an empty data directory when `wipe`. */
  async restart(id: number, opts: { wipe?: boolean } = {}): Promise<void> {
    const m = this.member(id);
    if (m.proc) throw new Error(`member ${id} is running`);
    if (opts.wipe) fs.rmSync(m.dataDir, { recursive: true, force: true });
    await this.startMember(id);
  }

  async status(id: number): Promise<MemberStatus> {
    const res = await fetch(`http://127.0.0.1:${this.member(id).adminPort}/status`, { signal: AbortSignal.timeout(STATUS_TIMEOUT_MS) });
    return (await res.json()) as MemberStatus;
  }

  /** The leader that every member of `ids` (default: the running ones) agrees on. */
  async waitForLeader(ids: number[] = this.running(), timeoutMs = 15_000): Promise<number> {
    let leader = 0;
    await waitFor(async () => {
      const all = await Promise.all(ids.map((id) => this.status(id)));
      const l = all[0].leaderId;
      const agreed = l !== 0 && all.every((s) => s.leaderId === l && s.term === all[0].term) && ids.includes(l);
      if (agreed) leader = l;
      return agreed && all.find((s) => s.serverId === l)?.role === 'leader';
    }, { timeoutMs, intervalMs: 50, what: `a leader among ${ids.join(',')}` });
    return leader;
  }

  /**
   * Waits until every member of `ids` has applied what the leader had committed when the wait
   * began: a member that was down or cut off has caught up, even while clients keep writing.
   */
  async waitCaughtUp(ids: number[] = this.running(), timeoutMs = 20_000): Promise<void> {
    const leader = await this.waitForLeader(this.running(), timeoutMs);
    const target = (await this.status(leader)).commitIndex;
    await waitFor(async () => (await Promise.all(ids.map((id) => this.status(id)))).every((s) => s.appliedIndex >= target), {
      timeoutMs, intervalMs: 100, what: `members ${ids.join(',')} to catch up to index ${target}`,
    });
  }

  /** Waits until `ids` (default: running) have applied everything the leader has committed, with equal zxids (no load running). */
  async waitConverged(ids: number[] = this.running(), timeoutMs = 20_000): Promise<MemberStatus[]> {
    let last: MemberStatus[] = [];
    await waitFor(async () => {
      last = await Promise.all(ids.map((id) => this.status(id)));
      const leader = last.find((s) => s.role === 'leader');
      if (!leader) return false;
      return last.every((s) => s.appliedIndex === leader.commitIndex && s.lastZxid === leader.lastZxid && s.leaderId === leader.serverId);
    }, { timeoutMs, intervalMs: 100, what: `members ${ids.join(',')} to converge` });
    // Same zxid must mean the same tree on every replica (Raft's state machine safety).
    const digests = await Promise.all(ids.map((id) => this.digest(id)));
    const zxids = new Set(digests.map((d) => d.lastZxid));
    if (zxids.size === 1 && new Set(digests.map((d) => d.digest)).size !== 1) {
      throw new Error(`replicas diverged at zxid ${[...zxids][0]}: ${JSON.stringify(digests)}`);
    }
    return last;
  }

  /** The member's tree digest (test-only endpoint): equal digests at equal zxids mean identical replicas. */
  async digest(id: number): Promise<{ lastZxid: number; digest: string }> {
    const res = await fetch(`http://127.0.0.1:${this.member(id).faultPort}/digest`, { signal: AbortSignal.timeout(STATUS_TIMEOUT_MS) });
    if (res.status !== 200) throw new Error(`digest of ${id}: HTTP ${res.status}`);
    return (await res.json()) as { lastZxid: number; digest: string };
  }

  async setFaults(id: number, rules: { dropTo?: number[]; dropFrom?: number[] }): Promise<void> {
    const res = await fetch(`http://127.0.0.1:${this.member(id).faultPort}/faults`, { method: 'POST', body: JSON.stringify(rules) });
    if (res.status !== 200) throw new Error(`faults on ${id}: ${res.status} ${await res.text()}`);
  }

  /** Cuts every peer link between `side` and the other running members, both ways. */
  async isolate(side: number[]): Promise<void> {
    const others = this.members.map((m) => m.id).filter((id) => !side.includes(id));
    for (const id of side) await this.setFaults(id, { dropTo: others, dropFrom: others });
    for (const id of others) if (this.member(id).proc) await this.setFaults(id, { dropTo: side, dropFrom: side });
  }

  async heal(): Promise<void> {
    for (const id of this.running()) await this.setFaults(id, {});
  }

  /** The tail of every member's log and stderr, for a failing test's report. */
  describe(): string {
    return this.members.map((m) => {
      const lines = (m.proc?.lines ?? []).filter((l) => l.level !== 'debug').slice(-15).map((l) => JSON.stringify(l)).join('\n');
      return `--- server ${m.id} (${m.proc ? `pid ${m.proc.pid}` : 'stopped'})\n${lines}\n${m.proc?.stderrTail() ?? ''}`;
    }).join('\n');
  }

  async stop(): Promise<void> {
    if (process.env.ENSEMBLE_TEST_LOGS) process.stderr.write(`${this.describe()}\n`);
    await Promise.all(this.members.map(async (m) => {
      m.proc?.stopSignal('SIGCONT');
      await m.proc?.kill9();
      m.proc = null;
    }));
    this.dir.cleanup();
  }
}
