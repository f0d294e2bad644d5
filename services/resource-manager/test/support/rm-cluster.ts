// Integration-test harness: a coordination server, masters and agents as real processes on
// 127.0.0.1 (port 0 everywhere, temp dirs), rmctl as a real process, and clients to inspect them.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freeTmpDir, startServiceProcess, waitFor, type ServiceProcess, type TmpDir } from '@ensemble/common';
import { CoordClient } from '@ensemble/coord-client';
import * as grpc from '@grpc/grpc-js';
import type { rmV1 } from '@ensemble/proto';
import { SERVER_NODE_FLAGS } from '../../../coordination/src/heap-growth';
import { readProcStat } from '../../src/agent/executor';
import { OperatorClient } from '../../src/client/operator-client';
import { loadRmV1 } from '../../src/proto';
import { SchedulerDriver } from '../../src/scheduler/scheduler-driver';

const RM_DIST = path.resolve(__dirname, '../../dist');
const COORD_MAIN = path.resolve(__dirname, '../../../coordination/dist/main.js');

export const MASTER_TEST_ARGS = ['--session-timeout', '2s', '--allocation-interval', '50ms', '--agent-heartbeat-interval', '200ms', '--agent-timeout', '3s', '--offer-timeout', '30s', '--framework-heartbeat-interval', '1s'];
export const AGENT_TEST_ARGS = ['--session-timeout', '2s', '--isolation', 'none', '--kill-grace-period', '1s', '--status-update-retry', '300ms', '--status-update-retry-max', '2s'];

export interface Cluster {
  dir: TmpDir;
  coord: ServiceProcess;
  coordAddress: string;
  masters: ServiceProcess[];
  agents: ServiceProcess[];
  stop(): Promise<void>;
}

export async function startCoord(dir: string): Promise<ServiceProcess> {
  return startServiceProcess({
    command: COORD_MAIN,
    nodeArgs: [...SERVER_NODE_FLAGS],
    args: ['--host', '127.0.0.1', '--port', '0', '--admin-port', '0', '--data-dir', dir, '--tick', '50ms', '--min-session-timeout', '300ms', '--no-fsync'],
  });
}

export async function startMaster(coordAddress: string, extra: string[] = [], env: Record<string, string> = {}): Promise<ServiceProcess> {
  return startServiceProcess({
    command: path.join(RM_DIST, 'master/main.js'),
    args: ['--host', '127.0.0.1', '--port', '0', '--admin-port', '0', '--coord', coordAddress, ...MASTER_TEST_ARGS, ...extra],
    env,
  });
}

export async function startAgent(coordAddress: string, workDir: string, resources: string, extra: string[] = []): Promise<ServiceProcess> {
  return startServiceProcess({
    command: path.join(RM_DIST, 'agent/main.js'),
    args: ['--host', '127.0.0.1', '--port', '0', '--admin-port', '0', '--coord', coordAddress, '--work-dir', workDir, '--resources', resources, ...AGENT_TEST_ARGS, ...extra],
  });
}

export async function startCluster(opts: { masters: number; agents: number; resources: string; masterArgs?: string[]; agentArgs?: string[] }): Promise<Cluster> {
  const dir = freeTmpDir('rm-it');
  const started: ServiceProcess[] = [];
  try {
    const coord = await startCoord(path.join(dir.path, 'coord'));
    started.push(coord);
    const coordAddress = `127.0.0.1:${coord.ready.clientPort}`;
    const masters: ServiceProcess[] = [];
    for (let i = 0; i < opts.masters; i++) masters.push(await startMaster(coordAddress, opts.masterArgs ?? []));
    started.push(...masters);
    const agents = await Promise.all(Array.from({ length: opts.agents }, (_, i) => startAgent(coordAddress, path.join(dir.path, `agent-${i}`), opts.resources, ['--attributes', `rack:r${i}`, ...(opts.agentArgs ?? [])])));
    started.push(...agents);
    return {
      dir,
      coord,
      coordAddress,
      masters,
      agents,
      stop: async () => {
        await Promise.all(started.reverse().map((p) => p.stop('SIGTERM', 5000)));
        // Agents leave their tasks running by design (a restarted agent recovers them): end them.
        killTasksUnder(dir.path);
        dir.cleanup();
      },
    };
  } catch (err) {
    await Promise.all(started.map((p) => p.kill9()));
    dir.cleanup();
    throw err;
  }
}

/**
 * SIGKILLs the process group of every task whose sandbox lies under `dir` (its launch wrapper
 * names its exit-status file there): the tasks of this test's agents, and nothing else.
 */
export function killTasksUnder(dir: string): number {
  let killed = 0;
  for (const name of fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    let cmdline: string;
    try {
      cmdline = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8');
    } catch {
      continue; // it exited meanwhile
    }
    const args = cmdline.split('\0');
    if (!args.includes('ensemble-task') || !args.some((a) => a.startsWith(`${dir}/`))) continue;
    try {
      process.kill(-Number(name), 'SIGKILL');
      killed++;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  }
  return killed;
}

export interface RmctlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs rmctl to completion (bounded). */
export function rmctl(coordAddress: string, args: string[], timeoutMs = 30_000): Promise<RmctlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(RM_DIST, 'cli/rmctl.js'), '--coord', coordAddress, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`rmctl ${args.join(' ')} did not finish within ${timeoutMs}ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      // Let the pipes drain.
      setImmediate(() => resolve({ code, stdout, stderr }));
    });
  });
}

export async function operator(coordAddress: string): Promise<OperatorClient> {
  return OperatorClient.connect({ coord: coordAddress });
}

export async function coordClient(coordAddress: string): Promise<CoordClient> {
  return CoordClient.connect(coordAddress, { sessionTimeoutMs: 5000 });
}

/** A framework that records every event, for tests. */
export class TestFramework {
  readonly offers: rmV1.Offer__Output[] = [];
  readonly updates: rmV1.TaskStatus__Output[] = [];
  readonly rescinded: string[] = [];

  /** Acknowledge every update with a uuid as it arrives (a framework that does not is resent them). */
  autoAck = true;

  private constructor(readonly driver: SchedulerDriver) {
    driver.on('offers', (offers: rmV1.Offer__Output[]) => this.offers.push(...offers));
    driver.on('update', (s: rmV1.TaskStatus__Output) => {
      this.updates.push(s);
      if (this.autoAck) driver.acknowledge(s);
    });
    driver.on('rescind', (id: string) => this.rescinded.push(id));
  }

  static async subscribe(coordAddress: string, name: string, master?: string, info: Partial<rmV1.FrameworkInfo> = {}): Promise<TestFramework> {
    return new TestFramework(await SchedulerDriver.subscribe({ coord: coordAddress, ...(master ? { master } : {}), frameworkInfo: { name, role: '*', ...info } }));
  }

  /** Waits for an outstanding offer (not rescinded, not yet used here) and takes it. */
  async takeOffer(predicate: (o: rmV1.Offer__Output) => boolean = () => true, timeoutMs = 10_000): Promise<rmV1.Offer__Output> {
    let found: rmV1.Offer__Output | undefined;
    await waitFor(
      () => {
        const i = this.offers.findIndex((o) => !this.rescinded.includes(o.offerId) && predicate(o));
        if (i >= 0) found = this.offers.splice(i, 1)[0];
        return found !== undefined;
      },
      { timeoutMs, what: 'an offer' },
    );
    return found as rmV1.Offer__Output;
  }

  /** The final status of a task (waits for it). */
  async final(taskId: string, timeoutMs = 15_000): Promise<rmV1.TaskStatus__Output> {
    const terminal = ['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_LOST', 'TASK_ERROR', 'TASK_DROPPED', 'TASK_GONE'];
    let status: rmV1.TaskStatus__Output | undefined;
    await waitFor(() => (status = this.updates.find((u) => u.taskId === taskId && terminal.includes(u.state))) !== undefined, { timeoutMs, what: `the end of ${taskId}` });
    return status as rmV1.TaskStatus__Output;
  }

  close(): void {
    this.driver.teardown();
    this.driver.close();
  }
}

/** The agent's own view (GetState): its tasks with pids, usage, health and pending updates. */
export async function agentState(address: string): Promise<rmV1.GetAgentStateResponse__Output> {
  const { Agent } = loadRmV1();
  const client = new Agent(address, grpc.credentials.createInsecure());
  try {
    return await new Promise((resolve, reject) => client.GetState({}, { deadline: Date.now() + 10_000 }, (err, res) => (err ? reject(err) : resolve(res as rmV1.GetAgentStateResponse__Output))));
  } finally {
    client.close();
  }
}

/** Every registry entry as stored, with its znode version: what a fenced write would change. */
export async function readRegistry(coordAddress: string): Promise<Map<string, { version: number; entry: { state: string; leaderEpoch?: number } }>> {
  const coord = await coordClient(coordAddress);
  try {
    const out = new Map<string, { version: number; entry: { state: string; leaderEpoch?: number } }>();
    for (const id of await coord.getAllChildren('/rm/registry/agents')) {
      const { data, stat } = await coord.getData(`/rm/registry/agents/${id}`);
      out.set(id, { version: stat.version, entry: JSON.parse(data.toString()) });
    }
    return out;
  } finally {
    await coord.close();
  }
}

/** Distinct updates (by uuid) of one task, in arrival order: what "none lost, duplicates carry the same uuid" is checked on. */
export function distinctUpdates(updates: readonly rmV1.TaskStatus__Output[], taskId: string): rmV1.TaskStatus__Output[] {
  const seen = new Set<string>();
  return updates.filter((u) => u.taskId === taskId && u.uuid !== '' && !seen.has(u.uuid) && seen.add(u.uuid) !== undefined);
}

/** The process exists and is not a zombie (an orphaned task's wrapper may wait for a reaper). */
export function isAlive(pid: number): boolean {
  const stat = readProcStat(pid);
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
}

/** `promise`, or `fallback` after `ms` (the timer is cleared either way). */
export async function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<F>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

export function shellTask(taskId: string, agentId: string, shell: string, cpusMilli = 100, memBytes = 32 * 1024 * 1024): rmV1.TaskInfo {
  return { taskId, name: taskId, agentId, resources: { cpusMilli, memBytes }, command: { shell } };
}
