// Leader failover, measured as a client sees it: writers keep setting a znode; the leader is
// killed with SIGKILL; the failover time is from the kill to the acknowledgement of the first
// write issued after it. Repeated over several trials (the killed server is restarted and
// caught up, or the whole reference ensemble restarted, in between).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type { BenchClient } from './coord-bench';

export interface FailoverTarget {
  name: string;
  connect(): Promise<BenchClient>;
  /** Kills the current leader with SIGKILL; resolves with the moment (nowMs) the signal was sent. */
  killLeader(): Promise<number>;
  /** Brings the system back to full strength for the next trial. */
  recover(): Promise<void>;
}

export interface FailoverOptions {
  trials: number;
  writers: number;
  connections: number;
  /** Writing time before the kill. */
  warmupMs: number;
  /** Give up on a trial after this long without a successful write. */
  timeoutMs: number;
}

export const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function closeQuietly(c: BenchClient): Promise<void> {
  await Promise.race([c.close().catch(() => undefined), sleep(2000)]);
}

/** One trial: the failover time in ms, or null when no write succeeded within the timeout. */
async function trial(target: FailoverTarget, opts: FailoverOptions, node: string): Promise<number | null> {
  const clients = await Promise.all(Array.from({ length: opts.connections }, () => target.connect()));
  await clients[0].create(node, Buffer.alloc(0)).catch(() => undefined);
  const acks: Array<{ startMs: number; endMs: number }> = [];
  let stop = false;
  const value = Buffer.alloc(100, 7);
  const loops = Array.from({ length: opts.writers }, async (_, w) => {
    const client = clients[w % clients.length];
    while (!stop) {
      const startMs = nowMs();
      try {
        await client.setData(node, value);
        acks.push({ startMs, endMs: nowMs() });
      } catch {
        await sleep(2); // connection lost or no leader yet: try again at once
      }
    }
  });
  await sleep(opts.warmupMs);
  const killedMs = await target.killLeader(); // finding the leader takes a moment: time from the signal
  const deadline = killedMs + opts.timeoutMs;
  let firstMs: number | null = null;
  while (firstMs === null && nowMs() < deadline) {
    const after = acks.filter((a) => a.startMs >= killedMs);
    if (after.length > 0) firstMs = Math.min(...after.map((a) => a.endMs));
    else await sleep(5);
  }
  stop = true;
  await Promise.race([Promise.all(loops), sleep(5000)]);
  await Promise.all(clients.map(closeQuietly));
  return firstMs === null ? null : firstMs - killedMs;
}

export async function measureFailover(target: FailoverTarget, opts: FailoverOptions, report: (line: string) => void): Promise<number[]> {
  const times: number[] = [];
  for (let i = 1; i <= opts.trials; i++) {
    const ms = await trial(target, opts, `/bench-failover-${i}`);
    report(`${target.name.padEnd(10)} failover trial ${i}: ${ms === null ? `no write within ${opts.timeoutMs} ms` : `${ms.toFixed(0)} ms`}`);
    if (ms !== null) times.push(ms);
    await target.recover();
  }
  return times;
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

// ---- the reference ZooKeeper (shared/tools/zookeeper-reference.sh) ----

/** ZooKeeper's `srvr` four-letter word: the server's mode (leader, follower, standalone) or null. */
function zkMode(port: number): Promise<string | null> {
  return new Promise((resolve) => {
    let text = '';
    const socket = net.connect(port, '127.0.0.1', () => socket.write('srvr'));
    socket.setTimeout(2000, () => socket.destroy());
    socket.on('data', (d) => (text += d.toString('utf8')));
    socket.on('error', () => resolve(null));
    socket.on('close', () => resolve(/^Mode: (\w+)/m.exec(text)?.[1] ?? null));
  });
}

/**
 * Failover of the reference ZooKeeper ensemble started by `zookeeper-reference.sh start 3`:
 * its leader is found with `srvr` and killed by the pid the script recorded; every trial after
 * the first restarts the whole (fresh) ensemble with the script.
 */
export function zkFailoverTarget(script: string, connect: () => Promise<BenchClient>): FailoverTarget {
  const refDir = process.env.ZK_REF_DIR ?? '/tmp/zookeeper-reference';
  const nodes = (): Array<{ port: number; pidFile: string }> =>
    fs.readdirSync(refDir).filter((n) => /^n\d+$/.test(n)).map((n) => {
      const cfg = fs.readFileSync(path.join(refDir, n, 'zoo.cfg'), 'utf8');
      return { port: Number(/^clientPort=(\d+)/m.exec(cfg)?.[1]), pidFile: path.join(refDir, n, 'pid') };
    });
  return {
    name: 'zookeeper',
    connect,
    async killLeader() {
      for (let attempt = 0; attempt < 100; attempt++) {
        for (const n of nodes()) {
          if ((await zkMode(n.port)) !== 'leader') continue;
          const pid = Number(fs.readFileSync(n.pidFile, 'utf8').trim());
          const killedMs = nowMs();
          process.kill(pid, 'SIGKILL');
          return killedMs;
        }
        await sleep(100);
      }
      throw new Error('no ZooKeeper leader found');
    },
    async recover() {
      try {
        execFileSync(script, ['start', '3'], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
      } catch (err) {
        const stderr = String((err as { stderr?: unknown }).stderr ?? '').trim();
        throw new Error(`${script} start 3 failed${stderr ? `: ${stderr}` : ''}`);
      }
    },
  };
}
