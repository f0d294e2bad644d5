// Integration-test harness: a coordination server, masters and agents as real processes on
// 127.0.0.1 (port 0 everywhere, temp dirs), rmctl as a real process, and clients to inspect them.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { freeTmpDir, startServiceProcess, waitFor, type ServiceProcess, type TmpDir } from '@ensemble/common';
import { CoordClient } from '@ensemble/coord-client';
import type { rmV1 } from '@ensemble/proto';
import { OperatorClient } from '../../src/client/operator-client';
import { SchedulerDriver } from '../../src/scheduler/scheduler-driver';

const RM_DIST = path.resolve(__dirname, '../../dist');
const COORD_MAIN = path.resolve(__dirname, '../../../coordination/dist/main.js');

export const MASTER_TEST_ARGS = ['--session-timeout', '2s', '--allocation-interval', '50ms', '--agent-heartbeat-interval', '200ms', '--agent-timeout', '3s', '--offer-timeout', '30s'];

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
    args: ['--host', '127.0.0.1', '--port', '0', '--admin-port', '0', '--coord', coordAddress, '--session-timeout', '2s', '--work-dir', workDir, '--resources', resources, '--isolation', 'none', '--kill-grace-period', '1s', ...extra],
  });
}

export async function startCluster(opts: { masters: number; agents: number; resources: string; masterArgs?: string[] }): Promise<Cluster> {
  const dir = freeTmpDir('rm-it');
  const started: ServiceProcess[] = [];
  try {
    const coord = await startCoord(path.join(dir.path, 'coord'));
    started.push(coord);
    const coordAddress = `127.0.0.1:${coord.ready.clientPort}`;
    const masters: ServiceProcess[] = [];
    for (let i = 0; i < opts.masters; i++) masters.push(await startMaster(coordAddress, opts.masterArgs ?? []));
    started.push(...masters);
    const agents = await Promise.all(Array.from({ length: opts.agents }, (_, i) => startAgent(coordAddress, path.join(dir.path, `agent-${i}`), opts.resources, ['--attributes', `rack:r${i}`])));
    started.push(...agents);
    return {
      dir,
      coord,
      coordAddress,
      masters,
      agents,
      stop: async () => {
        await Promise.all(started.reverse().map((p) => p.stop('SIGTERM', 5000)));
        dir.cleanup();
      },
    };
  } catch (err) {
    await Promise.all(started.map((p) => p.kill9()));
    dir.cleanup();
    throw err;
  }
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

  private constructor(readonly driver: SchedulerDriver) {
    driver.on('offers', (offers: rmV1.Offer__Output[]) => this.offers.push(...offers));
    driver.on('update', (s: rmV1.TaskStatus__Output) => this.updates.push(s));
    driver.on('rescind', (id: string) => this.rescinded.push(id));
  }

  static async subscribe(coordAddress: string, name: string, master?: string): Promise<TestFramework> {
    return new TestFramework(await SchedulerDriver.subscribe({ coord: coordAddress, ...(master ? { master } : {}), frameworkInfo: { name, role: '*' } }));
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

export function shellTask(taskId: string, agentId: string, shell: string, cpusMilli = 100, memBytes = 32 * 1024 * 1024): rmV1.TaskInfo {
  return { taskId, name: taskId, agentId, resources: { cpusMilli, memBytes }, command: { shell } };
}
