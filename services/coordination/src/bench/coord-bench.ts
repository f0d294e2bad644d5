#!/usr/bin/env node
// `npm run bench -- coord`: throughput and latency of the coordination service for create,
// setData, getData, watch fan-out and session create/close at several numbers of outstanding
// operations, spread evenly over the servers, and (`--ops failover`) the time writes take to
// resume after a kill -9 of the leader. `--ensemble 3` measures a local 3-server ensemble
// (fsync on). With `--zk host:port,...` the same workload also runs against an Apache
// ZooKeeper (node-zookeeper-client), so the ratio is measured side by side in one run. Prints
// results; never asserts times.
import * as fs from 'node:fs';
import { hostname, loadavg } from 'node:os';
import { CoordClient } from '@ensemble/coord-client';
import { ConfigError, parseConfig, defineOptions, formatHelp } from '@ensemble/common';
import { SERVER_NODE_FLAGS } from '../heap-growth';
import { measureFailover, median, nowMs, zkFailoverTarget, type FailoverTarget } from './failover';
import { startEnsemble, startStandalone, type LocalServers } from './local-ensemble';
import { serverFor } from './placement';
import { formatRatio, medianRows, ratios, roundOrder, type Row } from './summary';
import { removeTree } from './remove-tree';
import { zkDriver } from './zk-driver';

const OPTIONS = defineOptions([
  { name: 'servers', env: 'BENCH_SERVERS', type: 'string', description: 'host:port list of a running coordination service (default: start a standalone server with fsync on)' },
  { name: 'zk', env: 'BENCH_ZK', type: 'string', description: 'host:port list of an Apache ZooKeeper to run the same workload against' },
  { name: 'ops', env: 'BENCH_OPS', type: 'list', default: 'create,setData,getData,watch,session', description: 'Workloads to run' },
  { name: 'outstanding', env: 'BENCH_OUTSTANDING', type: 'list', default: '1,16,64,256', description: 'Outstanding operations (in total, over all connections)' },
  { name: 'connections', env: 'BENCH_CONNECTIONS', type: 'int', default: 0, min: 0, max: 64, description: 'Client connections (sessions) carrying the load, connection i on server i mod n (default: two per server, at least 4)' },
  { name: 'duration', env: 'BENCH_DURATION', type: 'duration', default: '3s', min: 100, max: 120_000, description: 'Measuring time per point' },
  { name: 'warmup', env: 'BENCH_WARMUP', type: 'duration', default: '500ms', min: 0, max: 60_000, description: 'Time each point runs before measuring starts (JIT, connections, caches)' },
  { name: 'value-bytes', env: 'BENCH_VALUE_BYTES', type: 'int', default: 100, min: 0, max: 1024 * 1024, description: 'Data size of create/setData' },
  { name: 'watchers', env: 'BENCH_WATCHERS', type: 'list', default: '256', description: 'Watcher counts for the fan-out workload' },
  // One fan-out round is hundreds of reads and a single write, so the write and event paths run
  // a few hundred times a second: the JIT (V8's and the JVM's alike) needs seconds, not the
  // other points' half second, before the latencies stop including compilation.
  { name: 'watch-warmup', env: 'BENCH_WATCH_WARMUP', type: 'duration', default: '10s', min: 0, max: 120_000, description: 'Time the fan-out workload runs before measuring starts (at least --warmup)' },
  // A freshly started server is slower while its JIT warms up (3 servers, one connection,
  // 1 outstanding setData: 1,024-1,112 ops/s in its first 8 s, 1,176-1,286 in the next 8),
  // while the ZooKeeper it is compared with may have been running for hours: each system gets
  // the same unmeasured run first, so neither is measured cold.
  { name: 'system-warmup', env: 'BENCH_SYSTEM_WARMUP', type: 'duration', default: '20s', min: 0, max: 600_000, description: 'Unmeasured create, setData and getData load each system runs before its first point (0: none)' },
  { name: 'fsync', env: 'BENCH_FSYNC', type: 'bool', default: true, description: 'fsync on the server the bench starts' },
  { name: 'ensemble', env: 'BENCH_ENSEMBLE', type: 'int', default: 1, min: 1, max: 5, description: 'Servers the bench starts when --servers is absent: 1 (standalone), 3 or 5 (an ensemble)' },
  { name: 'server-logs', env: 'BENCH_SERVER_LOGS', type: 'string', description: 'Directory for the whole log of every server the bench starts (coord-<pid>.log)' },
  { name: 'server-node-flags', env: 'BENCH_SERVER_NODE_FLAGS', type: 'list', default: [], description: `Node/V8 flags of every server the bench starts, comma-separated, after the servers' own (${SERVER_NODE_FLAGS.join(' ')}; a later flag wins): --server-node-flags=--min-semi-space-size=64,--max-semi-space-size=64` },
  { name: 'rounds', env: 'BENCH_ROUNDS', type: 'int', default: 1, min: 1, max: 20, description: 'Runs of every workload per system, the systems taking turns (which goes first alternates); with more than one, a summary gives each point\'s median and the ratios of the systems\' points round by round (shared machines are noisy)' },
  { name: 'trials', env: 'BENCH_TRIALS', type: 'int', default: 5, min: 1, max: 100, description: 'Leader kills of the failover workload' },
  { name: 'zk-control', env: 'BENCH_ZK_CONTROL', type: 'string', description: 'Path of zookeeper-reference.sh: lets the failover workload kill and restart the --zk ensemble' },
] as const);

/** What a workload needs from a client library; one implementation per system under test. */
export interface BenchClient {
  create(path: string, data: Buffer): Promise<unknown>;
  setData(path: string, data: Buffer): Promise<unknown>;
  getData(path: string): Promise<unknown>;
  /** Sets a one-shot data watch; resolves once it is set; `fired` is called on the event. */
  watchData(path: string, fired: () => void): Promise<unknown>;
  close(): Promise<void>;
}

export interface Driver {
  name: string;
  /**
   * A session on server `slot` mod n of the list (the load is spread evenly over the servers,
   * as it would be by many clients); without a slot, on any of them (they may move on failures).
   */
  connect(slot?: number): Promise<BenchClient>;
  /** Deletes `root` recursively (best effort between runs). */
  cleanup(client: BenchClient, root: string): Promise<void>;
}

interface Point {
  system: string;
  op: string;
  outstanding: number;
  ops: number;
  seconds: number;
  latenciesMs: number[];
  /** Operations that failed (say, CONNECTION_LOSS on a leader change): counted, not timed. */
  errors?: { count: number; first: string };
}

function ourDriver(servers: string): Driver {
  return {
    name: 'ensemble',
    async connect(slot) {
      const c = await CoordClient.connect(serverFor(servers, slot), { sessionTimeoutMs: 30_000 });
      return {
        create: (p, d) => c.create(p, d),
        setData: (p, d) => c.setData(p, d),
        getData: (p) => c.getData(p),
        watchData: (p, fired) => c.getData(p, { watch: () => fired() }),
        close: () => c.close(),
      };
    },
    async cleanup(client, root) {
      void client;
      const c = await CoordClient.connect(servers, { sessionTimeoutMs: 30_000 });
      await c.sync(root); // reads are local: a follower's listing must include the last creates
      await removeTree(root, (p) => c.getAllChildren(p), (p) => c.delete(p));
      await c.close();
    },
  };
}

// In every node name, the run and the point: what an interrupted run (or a cleanup that missed
// nodes) leaves behind never collides with a later run or a later round of the same point.
const RUN_ID = `${process.pid.toString(36)}${Date.now().toString(36)}`;
let pointSeq = 0;

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}


/** How long a point runs: first unmeasured, then measured. */
interface Window {
  warmupMs: number;
  durationMs: number;
}

/**
 * Runs `loops` concurrent loops of `op` for the window; only operations started after the
 * warm-up count. A loop's operations take the connections in turn, so that every point (one
 * outstanding operation included) sends the same share through each server: where a single
 * session happened to land — on the leader or on a follower — would otherwise decide it.
 */
async function closedLoop(clients: BenchClient[], loops: number, window: Window, op: (c: BenchClient, loop: number, i: number) => Promise<unknown>): Promise<{ ops: number; seconds: number; latenciesMs: number[]; errors?: { count: number; first: string } }> {
  const latenciesMs: number[] = [];
  let errors: { count: number; first: string } | undefined;
  const measureFromMs = nowMs() + window.warmupMs;
  const endMs = measureFromMs + window.durationMs;
  await Promise.all(
    Array.from({ length: loops }, async (_, loop) => {
      for (let i = 0; nowMs() < endMs; i++) {
        const t0 = nowMs();
        try {
          await op(clients[(loop + i) % clients.length], loop, i);
        } catch (err) {
          // A failed operation (a leader change fails the writes in flight) ends neither the loop
          // nor the run; it is reported with the point.
          errors ??= { count: 0, first: err instanceof Error ? err.message : String(err) };
          errors.count++;
          await new Promise((r) => setTimeout(r, 10)); // no hot loop against a server that refuses
          continue;
        }
        if (t0 >= measureFromMs) latenciesMs.push(nowMs() - t0);
      }
    }),
  );
  return { ops: latenciesMs.length, seconds: (nowMs() - measureFromMs) / 1000, latenciesMs, errors };
}

async function runPoint(driver: Driver, clients: BenchClient[], op: string, outstanding: number, cfg: { window: Window; valueBytes: number }): Promise<Point> {
  const value = Buffer.alloc(cfg.valueBytes, 7);
  const root = `/bench-${RUN_ID}-${++pointSeq}-${op}-${outstanding}`;
  await clients[0].create(root, Buffer.alloc(0)).catch(() => undefined);
  let r: { ops: number; seconds: number; latenciesMs: number[] };
  switch (op) {
    case 'create':
      r = await closedLoop(clients, outstanding, cfg.window, (c, loop, i) => c.create(`${root}/n${loop}-${i}`, value));
      break;
    case 'setData':
    case 'getData': {
      const keys = Math.min(outstanding, 64);
      for (let k = 0; k < keys; k++) await clients[0].create(`${root}/k${k}`, value).catch(() => undefined);
      // In an ensemble the other connections may be on followers that have not applied the
      // creates yet (reads are local): start once every connection sees the last key.
      await Promise.all(clients.map((c) => untilReadable(c, `${root}/k${keys - 1}`)));
      r = await closedLoop(clients, outstanding, cfg.window, (c, loop) => (op === 'setData' ? c.setData(`${root}/k${loop % keys}`, value) : c.getData(`${root}/k${loop % keys}`)));
      break;
    }
    default:
      throw new Error(`unknown op ${op}`);
  }
  await driver.cleanup(clients[0], root);
  return { system: driver.name, op, outstanding, ...r };
}

async function untilReadable(client: BenchClient, path: string): Promise<void> {
  const deadlineMs = Date.now() + 10_000;
  for (;;) {
    try {
      await client.getData(path);
      return;
    } catch (err) {
      if (Date.now() > deadlineMs) throw err;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

/** The --system-warmup run: each write and read workload at 1 and 64 outstanding, in equal slices, unmeasured. */
async function warmUpSystem(driver: Driver, connections: number, durationMs: number, valueBytes: number): Promise<void> {
  const clients = await Promise.all(Array.from({ length: connections }, (_, slot) => driver.connect(slot)));
  try {
    const points = ['create', 'setData', 'getData'].flatMap((op) => [1, 64].map((outstanding) => ({ op, outstanding })));
    const window: Window = { warmupMs: durationMs / points.length, durationMs: 0 };
    for (const { op, outstanding } of points) await runPoint(driver, clients, op, outstanding, { window, valueBytes });
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
}

/** Fan-out: `watchers` one-shot watches on one node, one setData, time until each event arrives. */
async function runWatchFanout(driver: Driver, clients: BenchClient[], watchers: number, window: Window): Promise<Point> {
  const node = `/bench-${RUN_ID}-${++pointSeq}-watch-${watchers}`;
  await clients[0].create(node, Buffer.alloc(0)).catch(() => undefined);
  await Promise.all(clients.map((c) => untilReadable(c, node)));
  const latenciesMs: number[] = [];
  const measureFromMs = nowMs() + window.warmupMs;
  let rounds = 0;
  let measuredRounds = 0;
  while (nowMs() - measureFromMs < window.durationMs && measuredRounds < 10_000) {
    const measured = nowMs() >= measureFromMs;
    if (measured) measuredRounds += 1;
    let pending = watchers;
    let t0 = 0;
    let resolveAll!: () => void;
    const all = new Promise<void>((r) => (resolveAll = r));
    await Promise.all(
      Array.from({ length: watchers }, (_, w) =>
        clients[w % clients.length].watchData(node, () => {
          if (measured) latenciesMs.push(nowMs() - t0);
          if (--pending === 0) resolveAll();
        }),
      ),
    );
    t0 = nowMs();
    await clients[0].setData(node, Buffer.from(String(rounds)));
    await all;
    rounds += 1;
  }
  const seconds = (nowMs() - measureFromMs) / 1000;
  await driver.cleanup(clients[0], node);
  return { system: driver.name, op: 'watch', outstanding: watchers, ops: latenciesMs.length, seconds, latenciesMs };
}

/** Session create+close with `outstanding` concurrent loops. */
async function runSessions(driver: Driver, outstanding: number, window: Window): Promise<Point> {
  const r = await closedLoop([null as unknown as BenchClient], outstanding, window, async (_, loop, i) => {
    const c = await driver.connect(loop + i);
    await c.close();
  });
  return { system: driver.name, op: 'session', outstanding, ...r };
}

/** What is printed of a point: its throughput and latency percentiles. */
function summarize(p: Point, round: number): Row {
  const sorted = [...p.latenciesMs].sort((a, b) => a - b);
  return { system: p.system, op: p.op, outstanding: p.outstanding, round, rate: p.ops / p.seconds, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
}

function format(r: Row): string {
  return [r.system.padEnd(10), r.op.padEnd(8), String(r.outstanding).padStart(5), r.rate.toFixed(0).padStart(10), r.p50.toFixed(2).padStart(9), r.p99.toFixed(2).padStart(9)].join(' ');
}

type Config = ReturnType<typeof parseConfig<typeof OPTIONS>>;

/** Connections per point: as configured, or two per server of the largest system measured (at least 4). */
function connectionsFor(cfg: Config): number {
  if (cfg.connections > 0) return cfg.connections;
  const sizes = [cfg.servers ? cfg.servers.split(',').length : cfg.ensemble, cfg.zk ? cfg.zk.split(',').length : 1];
  return Math.max(4, 2 * Math.max(...sizes));
}

const FAILOVER = { writers: 16, warmupMs: 1500, timeoutMs: 30_000 };

function ourFailoverTarget(local: LocalServers, driver: Driver): FailoverTarget {
  let killed = 0;
  return {
    name: driver.name,
    connect: () => driver.connect(),
    async killLeader() {
      killed = await local.leader();
      const killedMs = nowMs();
      await local.kill9(killed);
      return killedMs;
    },
    async recover() {
      await local.restart(killed);
      await local.converged();
    },
  };
}

async function runFailover(cfg: Config, local: LocalServers | null, drivers: Driver[]): Promise<void> {
  const report = (line: string): void => void process.stdout.write(`${line}\n`);
  const opts = { ...FAILOVER, trials: cfg.trials, connections: connectionsFor(cfg) };
  const medians: string[] = [];
  for (const driver of drivers) {
    let target: FailoverTarget | null = null;
    if (driver.name === 'zookeeper') target = cfg.zkControl ? zkFailoverTarget(cfg.zkControl, () => driver.connect()) : null;
    else target = local && cfg.ensemble > 1 ? ourFailoverTarget(local, driver) : null;
    if (!target) {
      report(`${driver.name.padEnd(10)} failover skipped: ${driver.name === 'zookeeper' ? 'needs --zk-control' : 'needs a local ensemble (--ensemble 3, no --servers)'}`);
      continue;
    }
    const times = await measureFailover(target, opts, report);
    medians.push(`${driver.name} median ${median(times).toFixed(0)} ms over ${times.length} of ${cfg.trials} trials`);
  }
  for (const line of medians) report(`failover: ${line}`);
}

async function main(): Promise<void> {
  const cfg = parseConfig(OPTIONS);
  if (cfg.help) {
    process.stdout.write(formatHelp(OPTIONS, 'coord-bench: coordination service benchmark'));
    return;
  }
  let local: LocalServers | null = null;
  if (cfg.serverLogs) fs.mkdirSync(cfg.serverLogs, { recursive: true });
  const notFlag = cfg.serverNodeFlags.find((f) => !f.startsWith('-'));
  if (notFlag !== undefined) throw new ConfigError(`--server-node-flags: '${notFlag}' is not a flag (each starts with -)`);
  const localOpts = { fsync: cfg.fsync, logDir: cfg.serverLogs, nodeFlags: cfg.serverNodeFlags };
  if (!cfg.servers) local = cfg.ensemble > 1 ? await startEnsemble(cfg.ensemble, localOpts) : await startStandalone(localOpts);
  const servers = cfg.servers ?? local!.connectString;
  const drivers: Driver[] = [ourDriver(servers)];
  if (cfg.zk) drivers.push(zkDriver(cfg.zk));

  const connections = connectionsFor(cfg);
  const what = cfg.servers ? `servers ${cfg.servers}` : cfg.ensemble > 1 ? `a local ${cfg.ensemble}-server ensemble` : 'a local standalone server';
  process.stdout.write(`coord bench on ${hostname()}: ${what}, ${connections} connections, ${cfg.duration} ms per point after ${cfg.warmup} ms of warm-up (fan-out: ${Math.max(cfg.warmup, cfg.watchWarmup)} ms; each system first runs ${cfg.systemWarmup} ms unmeasured), ${cfg.valueBytes}-byte values, fsync ${cfg.servers ? 'as configured' : cfg.fsync ? 'on' : 'off'}${cfg.serverNodeFlags.length > 0 && !cfg.servers ? `, server node flags ${cfg.serverNodeFlags.join(' ')}` : ''}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
  process.stdout.write(`${'system'.padEnd(10)} ${'op'.padEnd(8)} ${'outst'.padStart(5)} ${'ops/s'.padStart(10)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)}\n`);
  const results: Row[] = [];
  const window: Window = { warmupMs: cfg.warmup, durationMs: cfg.duration };
  const watchWindow: Window = { ...window, warmupMs: Math.max(cfg.warmup, cfg.watchWarmup) };
  try {
    if (cfg.systemWarmup > 0 && cfg.ops.some((op) => op !== 'failover')) {
      for (const driver of drivers) await warmUpSystem(driver, connections, cfg.systemWarmup, cfg.valueBytes);
    }
    for (const op of cfg.ops) {
      if (op === 'failover') {
        await runFailover(cfg, local, drivers);
        continue;
      }
      for (let round = 0; round < cfg.rounds; round++) {
        for (const driver of roundOrder(drivers, round)) {
          const clients = await Promise.all(Array.from({ length: connections }, (_, slot) => driver.connect(slot)));
          try {
            const points = op === 'watch' ? cfg.watchers.map(Number) : cfg.outstanding.map(Number);
            for (const n of points) {
              const p =
                op === 'watch' ? await runWatchFanout(driver, clients, n, watchWindow) : op === 'session' ? await runSessions(driver, n, window) : await runPoint(driver, clients, op, n, { window, valueBytes: cfg.valueBytes });
              results.push(summarize(p, round));
              process.stdout.write(`${format(results[results.length - 1])}\n`);
              if (p.errors) process.stdout.write(`${''.padEnd(10)} ${p.errors.count} operations failed (not timed); the first: ${p.errors.first}\n`);
            }
          } finally {
            await Promise.all(clients.map((c) => c.close()));
          }
        }
      }
    }
    const medians = cfg.rounds > 1 ? medianRows(results) : results;
    if (cfg.rounds > 1) {
      process.stdout.write(`\nmedians of ${cfg.rounds} rounds\n`);
      for (const row of medians) process.stdout.write(`${format(row)}\n`);
    }
    if (drivers.length > 1) printRatios(results, drivers[0].name, drivers[1].name);
    process.stdout.write(`load average at the end ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
  } finally {
    await local?.stop();
  }
}

function printRatios(rows: Row[], ours: string, theirs: string): void {
  process.stdout.write(`\nratios ${ours} / ${theirs} (throughput of the medians; p99, lower is better)\n`);
  for (const r of ratios(rows, ours, theirs)) process.stdout.write(`${formatRatio(r)}\n`);
}

main().catch((err: unknown) => {
  // A bad option is the caller's to fix: its message says what, a stack would only bury it.
  process.stderr.write(`coord-bench: ${err instanceof ConfigError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
