// Allocator benchmark: in-process clusters of 1,000 and 10,000 agents with 10 and 100
// frameworks. After each cycle the simulated frameworks answer every offer the way schedulers
// do (launch a few tasks and refuse the rest for a while, or decline the whole offer with a
// filter), and some running tasks finish, so later cycles see fragmented agents, live filters and
// uneven shares rather than one empty cluster. Prints cycle times; asserts nothing about them.
//
//   node services/resource-manager/dist/bench/allocator-bench.js [--cycles N] [--seed S]

import { performance } from 'node:perf_hooks';
import { Allocator, GIB, Offer, PortRange, Resources, makeResources } from '../allocator';

interface Scenario {
  agents: number;
  frameworks: number;
  cycles: number;
}

interface Task {
  frameworkId: string;
  agentId: string;
  resources: Resources;
}

interface Row {
  agents: number;
  frameworks: number;
  cycles: number;
  firstOffers: number;
  offersPerCycle: number;
  tasksRunning: number;
  firstMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Process CPU time per cycle (all threads, GC included): steadier than wall time on a shared host. */
  cpuP50Ms: number;
}

const CYCLE_INTERVAL_MS = 1000; // Mesos --allocation_interval default
const REFUSE_SECONDS = 5; // Mesos default refuse_seconds
const TASK_END_PROBABILITY = 0.1;
const DECLINE_PROBABILITY = 0.3;

/** mulberry32: small, fast, seeded. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function buildCluster(scenario: Scenario): Allocator {
  const allocator = new Allocator({ offerIdPrefix: 'bench' });
  const total = makeResources({ cpusMilli: 16_000, memBytes: 64 * GIB, diskBytes: 512 * GIB, ports: [{ begin: 31_000, end: 32_000 }] });
  for (let i = 0; i < scenario.agents; i++) {
    const result = allocator.addAgent({ agentId: `agent-${String(i).padStart(5, '0')}`, total, attributes: { rack: `r${i % 40}` } });
    if (!result.ok) throw new Error(result.message);
  }
  for (let i = 0; i < scenario.frameworks; i++) {
    const result = allocator.addFramework({ frameworkId: `fw-${String(i).padStart(3, '0')}`, role: `role-${i % 5}`, weight: i % 10 === 0 ? 2 : 1 });
    if (!result.ok) throw new Error(result.message);
  }
  return allocator;
}

/** The first `count` ports of an offer, or undefined if it has fewer. */
function takePorts(ports: readonly PortRange[], count: number): PortRange[] | undefined {
  const first = ports[0];
  if (count === 0) return [];
  if (first === undefined || first.end - first.begin + 1 < count) return undefined;
  return [{ begin: first.begin, end: first.begin + count - 1 }];
}

/** A scheduler's answer: launch 1–4 tasks of a framework-specific shape, or decline. */
function answerOffer(allocator: Allocator, offer: Offer, nowMs: number, random: () => number, tasks: Task[]): void {
  if (random() < DECLINE_PROBABILITY) {
    const result = allocator.decline(offer.frameworkId, { offerId: offer.offerId }, REFUSE_SECONDS, nowMs);
    if (!result.ok) throw new Error(result.message);
    return;
  }
  const shape = Number(offer.frameworkId.slice(3)) % 3; // cpu-heavy, memory-heavy, balanced
  const cpusMilli = [2000, 500, 1000][shape];
  const memBytes = [1, 6, 3][shape] * GIB;
  const wanted = 1 + Math.floor(random() * 4);
  const fit = Math.min(wanted, Math.floor(offer.resources.cpusMilli / cpusMilli), Math.floor(offer.resources.memBytes / memBytes));
  const ports = takePorts(offer.resources.ports, fit);
  const count = ports === undefined ? 0 : fit;
  const perTask = { cpusMilli, memBytes, diskBytes: 4 * GIB };
  const used = makeResources({ cpusMilli: count * cpusMilli, memBytes: count * memBytes, diskBytes: count * perTask.diskBytes, ports: ports ?? [] });
  const result = allocator.accept(offer.offerId, offer.frameworkId, used, { refuseSeconds: REFUSE_SECONDS, nowMs });
  if (!result.ok) throw new Error(result.message);
  for (let i = 0; i < count; i++) {
    const port = ports?.[0]?.begin ?? 0;
    tasks.push({ frameworkId: offer.frameworkId, agentId: offer.agentId, resources: makeResources({ ...perTask, ports: [{ begin: port + i, end: port + i }] }) });
  }
}

function finishSomeTasks(allocator: Allocator, tasks: Task[], random: () => number): void {
  for (let i = tasks.length - 1; i >= 0; i--) {
    if (random() >= TASK_END_PROBABILITY) continue;
    const task = tasks[i];
    const result = allocator.releaseTaskResources(task.frameworkId, task.agentId, task.resources);
    if (!result.ok) throw new Error(result.message);
    tasks[i] = tasks[tasks.length - 1];
    tasks.pop();
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function runScenario(scenario: Scenario, seed: number): Row {
  const allocator = buildCluster(scenario);
  const random = prng(seed);
  const tasks: Task[] = [];
  const timesMs: number[] = [];
  const cpuMs: number[] = [];
  const offerCounts: number[] = [];
  for (let cycle = 0; cycle < scenario.cycles; cycle++) {
    const nowMs = cycle * CYCLE_INTERVAL_MS;
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    const offers = allocator.allocate(nowMs);
    timesMs.push(performance.now() - start);
    const cpu = process.cpuUsage(cpuStart);
    cpuMs.push((cpu.user + cpu.system) / 1000);
    offerCounts.push(offers.length);
    for (const offer of offers) answerOffer(allocator, offer, nowMs, random, tasks);
    finishSomeTasks(allocator, tasks, random);
  }
  const steady = timesMs.slice(1).sort((a, b) => a - b);
  const steadyOffers = offerCounts.slice(1);
  return {
    agents: scenario.agents,
    frameworks: scenario.frameworks,
    cycles: scenario.cycles,
    firstOffers: offerCounts[0],
    offersPerCycle: Math.round(steadyOffers.reduce((a, b) => a + b, 0) / Math.max(1, steadyOffers.length)),
    tasksRunning: tasks.length,
    firstMs: timesMs[0],
    p50Ms: percentile(steady, 50),
    p99Ms: percentile(steady, 99),
    maxMs: steady[steady.length - 1] ?? NaN,
    cpuP50Ms: percentile(cpuMs.slice(1).sort((a, b) => a - b), 50),
  };
}

function printTable(rows: readonly Row[]): void {
  const header = ['agents', 'frameworks', 'cycles', 'offers 1st', 'offers/cycle', 'tasks at end', '1st ms', 'p50 ms', 'p99 ms', 'max ms', 'cpu p50 ms'];
  const lines = rows.map((r) => [
    String(r.agents),
    String(r.frameworks),
    String(r.cycles),
    String(r.firstOffers),
    String(r.offersPerCycle),
    String(r.tasksRunning),
    r.firstMs.toFixed(2),
    r.p50Ms.toFixed(2),
    r.p99Ms.toFixed(2),
    r.maxMs.toFixed(2),
    r.cpuP50Ms.toFixed(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells: readonly string[]): string => cells.map((c, i) => c.padStart(widths[i])).join('  ');
  console.log(format(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const line of lines) console.log(format(line));
  console.log('(1st = the first cycle on an empty cluster; p50/p99/max over the later cycles, wall clock;');
  console.log(' cpu = process CPU time per cycle, all threads, which other load on the host does not inflate)');
}

function argument(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}

function main(): void {
  const cycles = argument('--cycles', 30);
  const seed = argument('--seed', 1);
  const scenarios: Scenario[] = [
    { agents: 1_000, frameworks: 10, cycles },
    { agents: 1_000, frameworks: 100, cycles },
    { agents: 10_000, frameworks: 10, cycles },
    { agents: 10_000, frameworks: 100, cycles },
  ];
  console.log(`allocator cycle time, ${cycles} cycles per row, seed ${seed}, node ${process.version}`);
  printTable(scenarios.map((s) => runScenario(s, seed)));
}

if (require.main === module) main();
