// End-to-end launch throughput: a real coordination server and a real master (separate
// processes), simulated agents speaking the real agent protocol (they report RUNNING and
// FINISHED at once), and one framework launching tasks on every offer as fast as the master
// lets it. Counts tasks from ACCEPT to their FINISHED update. Prints only; asserts nothing.
//
//   node services/resource-manager/dist/bench/launch-bench.js [--tasks N] [--agents N] [--inflight N]
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { freeTmpDir, startServiceProcess, type ServiceProcess } from '@ensemble/common';
import type { rmV1 } from '@ensemble/proto';
import { SchedulerDriver } from '../scheduler/scheduler-driver';
import { FakeAgent } from './fake-agent';

interface Args {
  tasks: number;
  agents: number;
  inflight: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { tasks: 20_000, agents: 4, inflight: 4000 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '') as keyof Args;
    const value = Number(argv[i + 1]);
    if (!(key in args) || !Number.isInteger(value) || value <= 0) {
      process.stderr.write(`usage: launch-bench [--tasks N] [--agents N] [--inflight N]\n`);
      process.exit(2);
    }
    args[key] = value;
  }
  return args;
}

const TASK_CPUS_MILLI = 10;
const TASK_MEM_BYTES = 4 * 1024 * 1024;

async function startBackends(dir: string): Promise<{ coord: ServiceProcess; master: ServiceProcess }> {
  const coord = await startServiceProcess({
    command: path.resolve(__dirname, '../../../coordination/dist/main.js'),
    args: ['--host', '127.0.0.1', '--port', '0', '--admin-port', '0', '--data-dir', path.join(dir, 'coord'), '--no-fsync'],
  });
  const master = await startServiceProcess({
    command: path.resolve(__dirname, '../master/main.js'),
    args: ['--host', '127.0.0.1', '--port', '0', '--admin-port', '0', '--coord', `127.0.0.1:${coord.ready.clientPort}`, '--allocation-interval', '10ms', '--agent-heartbeat-interval', '1s'],
    readyMsg: 'listening',
  }).catch(async (err: unknown) => {
    await coord.stop();
    throw err;
  });
  return { coord, master };
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function run(args: Args): Promise<void> {
  const dir = freeTmpDir('launch-bench');
  const { coord, master } = await startBackends(dir.path);
  const agents: FakeAgent[] = [];
  try {
    const address = String(master.ready.address);
    const perAgentTasks = Math.ceil(args.inflight / args.agents) + 1;
    for (let i = 0; i < args.agents; i++) {
      agents.push(await FakeAgent.register({ master: address, hostname: `sim-${i}`, resources: { cpusMilli: perAgentTasks * TASK_CPUS_MILLI, memBytes: perAgentTasks * TASK_MEM_BYTES } }));
    }
    const driver = await SchedulerDriver.subscribe({ master: address, frameworkInfo: { name: 'launch-bench', role: '*' } });
    const result = await launchAll(driver, args);
    driver.teardown();
    driver.close();
    const latencies = result.latenciesMs.sort((a, b) => a - b);
    const rate = Math.round(args.tasks / (result.elapsedMs / 1000));
    process.stdout.write(
      `launch-bench: ${args.tasks} tasks on ${args.agents} simulated agents (≤${args.inflight} in flight), real master and coordination server\n` +
        `  ${rate} launches/s (ACCEPT to FINISHED, ${(result.elapsedMs / 1000).toFixed(2)} s)\n` +
        `  ACCEPT→RUNNING latency ms: p50 ${percentile(latencies, 50).toFixed(1)}  p99 ${percentile(latencies, 99).toFixed(1)}  max ${(latencies[latencies.length - 1] ?? 0).toFixed(1)}\n`,
    );
  } finally {
    for (const agent of agents) agent.close();
    await master.stop();
    await coord.stop();
    dir.cleanup();
  }
}

async function launchAll(driver: SchedulerDriver, args: Args): Promise<{ elapsedMs: number; latenciesMs: number[] }> {
  let next = 0;
  let finished = 0;
  let inflight = 0;
  let startMs = 0;
  const acceptedAt = new Map<string, number>();
  const latenciesMs: number[] = [];
  return new Promise((resolve, reject) => {
    driver.on('offers', (offers: rmV1.Offer__Output[]) => {
      if (startMs === 0) startMs = performance.now();
      for (const offer of offers) {
        const fit = Math.min(Number(offer.resources?.cpusMilli) / TASK_CPUS_MILLI, Number(offer.resources?.memBytes) / TASK_MEM_BYTES);
        const count = Math.max(0, Math.min(Math.floor(fit), args.tasks - next, args.inflight - inflight));
        if (count === 0) {
          driver.decline([offer.offerId], 0);
          continue;
        }
        const now = performance.now();
        const tasks: rmV1.TaskInfo[] = [];
        for (let i = 0; i < count; i++) {
          const taskId = `bench-${next++}`;
          acceptedAt.set(taskId, now);
          tasks.push({ taskId, agentId: offer.agentId, resources: { cpusMilli: TASK_CPUS_MILLI, memBytes: TASK_MEM_BYTES }, command: { shell: 'true' } });
        }
        inflight += count;
        driver.accept([offer.offerId], tasks, 0);
      }
    });
    driver.on('update', (status: rmV1.TaskStatus__Output) => {
      driver.acknowledge(status);
      if (status.state === 'TASK_RUNNING') {
        const at = acceptedAt.get(status.taskId);
        if (at !== undefined) latenciesMs.push(performance.now() - at);
      } else if (status.state === 'TASK_FINISHED') {
        acceptedAt.delete(status.taskId);
        inflight--;
        if (++finished === args.tasks) resolve({ elapsedMs: performance.now() - startMs, latenciesMs });
      } else if (status.state !== 'TASK_STARTING') {
        reject(new Error(`task ${status.taskId} ended ${status.state}: ${status.message}`));
      }
    });
    driver.on('closed', (err?: Error) => reject(err ?? new Error('the master closed the stream')));
    driver.revive();
  });
}

run(parseArgs(process.argv.slice(2))).catch((err: unknown) => {
  process.stderr.write(`launch-bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
