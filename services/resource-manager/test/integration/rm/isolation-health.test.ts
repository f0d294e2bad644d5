// Isolation and health checks end to end, through a master and an agent with cgroups on (v1 or
// v2, whichever the host lets us write; without writable cgroups the isolation tests say why and
// skip): the agent says how it isolates in its registration; a task allocating past its memory
// limit is TASK_FAILED with the memory reason; a busy loop under 0.2 cpus uses about a fifth of
// a core; cgroups are gone once tasks end. Command, HTTP and TCP health checks: verdicts are
// status updates, and failing ones kill the task as TASK_FAILED (health check).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { waitFor } from '@ensemble/common';
import type { rmV1 } from '@ensemble/proto';
import { CgroupSupport, detectCgroups, removeCgroupParent, taskCgroupPaths } from '../../../src/agent/executor';
import { Cluster, TestFramework, agentState, operator, startCluster } from '../../support/rm-cluster';

jest.setTimeout(60_000);

const MIB = 1024 * 1024;
const CGROUP_PARENT = `ensemble-it-rm-${process.pid}`;
const cgroups: CgroupSupport = detectCgroups({ parentName: CGROUP_PARENT });
const itIsolated = cgroups.version === 'none' ? it.skip : it;
let cluster: Cluster;
let framework: TestFramework;
let agentAddress = '';
let workDir = '';

beforeAll(async () => {
  if (cgroups.version === 'none') console.warn(`SKIPPING end-to-end isolation tests: cgroups are not writable here (${cgroups.reason})`);
  cluster = await startCluster({ masters: 1, agents: 1, resources: 'cpus:2;mem:2GiB;disk:1GiB;ports:[31000-31099]', agentArgs: ['--isolation', 'auto', '--cgroup-parent', CGROUP_PARENT] });
  workDir = path.join(cluster.dir.path, 'agent-0');
  framework = await TestFramework.subscribe(cluster.coordAddress, 'isolation-health', undefined, { failoverTimeoutMs: 10_000 });
  const op = await operator(cluster.coordAddress);
  await waitFor(async () => (agentAddress = (await op.call<rmV1.ListAgentsResponse__Output>('ListAgents', {})).agents[0]?.info?.address ?? '') !== '', { what: 'the agent registered' });
  op.close();
});

afterAll(async () => {
  framework?.close();
  await cluster?.stop();
  const removed = removeCgroupParent(cgroups);
  if (!removed.ok) throw new Error(`test cgroups left behind: ${removed.message}`);
});

/** Launches one task on an offer it fits in (with one port of the offer's when asked). */
async function launch(task: Omit<rmV1.TaskInfo, 'agentId' | 'resources'> & { cpusMilli?: number; memBytes?: number; withPort?: boolean }): Promise<void> {
  const { cpusMilli = 100, memBytes = 64 * MIB, withPort = false, ...info } = task;
  const fits = (o: rmV1.Offer__Output) => Number(o.resources?.cpusMilli) >= cpusMilli && Number(o.resources?.memBytes) >= memBytes && (!withPort || (o.resources?.ports.length ?? 0) > 0);
  const offer = await framework.takeOffer(fits);
  const port = offer.resources?.ports[0]?.begin ?? 0;
  const resources: rmV1.Resources = { cpusMilli, memBytes, ...(withPort ? { ports: [{ begin: port, end: port }] } : {}) };
  framework.driver.accept([offer.offerId], [{ ...info, name: info.taskId, agentId: offer.agentId, resources }], 0);
}

function updatesOf(taskId: string): rmV1.TaskStatus__Output[] {
  return framework.updates.filter((u) => u.taskId === taskId);
}

function cgroupDirs(taskId: string): string[] {
  if (cgroups.version === 'none') return [];
  const paths = taskCgroupPaths(cgroups, taskId);
  return paths.version === 2 ? [paths.dir] : [paths.cpuDir, paths.memoryDir];
}

test('the agent says in its registration how it isolates tasks', async () => {
  const op = await operator(cluster.coordAddress);
  const { agents } = await op.call<rmV1.ListAgentsResponse__Output>('ListAgents', {});
  op.close();
  expect(agents[0].info?.isolation).toBe(cgroups.version === 'none' ? expect.stringMatching(/^none: /) : `cgroup v${cgroups.version}`);
});

itIsolated('a task that allocates past its memory limit is TASK_FAILED with the memory reason, and its cgroup is removed', async () => {
  // Buffer.alloc(n, 1) touches every page, so the memory is really charged to the cgroup.
  const script = 'const keep = []; for (let i = 0; i < 512; i++) keep.push(Buffer.alloc(1 << 20, 1)); console.log("survived", keep.length)';
  await launch({ taskId: 'hog', command: { argv: { args: [process.execPath, '-e', script] } }, cpusMilli: 1000, memBytes: 64 * MIB });
  const status = await framework.final('hog', 30_000);
  console.log(`OOM end to end: ${status.state} ${status.reason} exitCode=${status.exitCode}; ${status.message}`);
  expect(status).toMatchObject({ state: 'TASK_FAILED', reason: 'REASON_CONTAINER_LIMITATION_MEMORY' });
  for (const dir of cgroupDirs('hog')) expect(fs.existsSync(dir)).toBe(false);
});

itIsolated('a busy loop under a 0.2-cpu limit uses about 20% of one core', async () => {
  await launch({ taskId: 'spin', command: { shell: 'while :; do :; done' }, cpusMilli: 200, memBytes: 32 * MIB });
  const usage = async (): Promise<number> => Number((await agentState(agentAddress)).tasks.find((t) => t.taskId === 'spin')?.cpuUsageUsec ?? 0);
  await waitFor(async () => (await usage()) > 0, { what: 'cpu usage to show' });
  for (const dir of cgroupDirs('spin')) expect(fs.existsSync(dir)).toBe(true);
  // A measurement window, not a wait for an event.
  const t0 = process.hrtime.bigint();
  const u0 = await usage();
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const u1 = await usage();
  const ratio = (u1 - u0) / (Number(process.hrtime.bigint() - t0) / 1000);
  console.log(`CPU end to end: a busy loop under cpus 0.2 used ${(ratio * 100).toFixed(1)}% of a core`);
  expect(ratio).toBeGreaterThan(0.1);
  expect(ratio).toBeLessThan(0.35);
  framework.driver.kill('spin');
  expect(await framework.final('spin')).toMatchObject({ state: 'TASK_KILLED' });
  await waitFor(() => cgroupDirs('spin').every((dir) => !fs.existsSync(dir)), { what: 'the cgroup removed' });
});

test('command health check: healthy, then unhealthy, then killed as TASK_FAILED (health check)', async () => {
  const healthCheck: rmV1.HealthCheck = { type: 'HEALTH_CHECK_COMMAND', command: { shell: 'test -f healthy' }, delayMs: 0, intervalMs: 100, timeoutMs: 2000, consecutiveFailures: 3, gracePeriodMs: 5000 };
  // Healthy for a second, then not.
  await launch({ taskId: 'flaky', command: { shell: 'touch healthy; sleep 1; rm healthy; exec sleep 60' }, healthCheck });
  const status = await framework.final('flaky', 20_000);
  expect(status).toMatchObject({ state: 'TASK_FAILED', reason: 'REASON_TASK_HEALTH_CHECK_FAILED', message: expect.stringMatching(/health check failed 3 times in a row/) });
  const verdicts = updatesOf('flaky').filter((u) => u.reason === 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED');
  expect(verdicts.map((u) => [u.state, u.healthy])).toEqual([
    ['TASK_RUNNING', true],
    ['TASK_RUNNING', false],
  ]);
  expect(verdicts.every((u) => u.uuid !== '')).toBe(true);
});

test('HTTP health check on the task\'s port: healthy while it answers 200, killed once it answers 503', async () => {
  const server = `require('http').createServer((q, s) => { s.statusCode = require('fs').existsSync('sick') ? 503 : 200; s.end(); }).listen(Number(process.env.PORT0), '127.0.0.1')`;
  const healthCheck: rmV1.HealthCheck = { type: 'HEALTH_CHECK_HTTP', port: 0, path: '/health', delayMs: 0, intervalMs: 100, timeoutMs: 1000, consecutiveFailures: 2, gracePeriodMs: 10_000 };
  await launch({ taskId: 'web', command: { argv: { args: [process.execPath, '-e', server] } }, healthCheck, withPort: true });
  await waitFor(() => updatesOf('web').some((u) => u.healthy === true), { timeoutMs: 15_000, what: 'web healthy' });
  fs.writeFileSync(path.join(workDir, 'sandboxes', framework.driver.frameworkId, 'web', 'sick'), '');
  expect(await framework.final('web', 15_000)).toMatchObject({ state: 'TASK_FAILED', reason: 'REASON_TASK_HEALTH_CHECK_FAILED', message: expect.stringMatching(/503/) });
  expect(updatesOf('web').filter((u) => u.healthy !== undefined).map((u) => u.healthy)).toEqual([true, false]);
});

test('TCP health check: healthy while the port accepts; a task killed on request is KILLED, not failed', async () => {
  const server = `require('net').createServer((c) => c.end()).listen(Number(process.env.PORT0), '127.0.0.1')`;
  const healthCheck: rmV1.HealthCheck = { type: 'HEALTH_CHECK_TCP', port: 0, delayMs: 0, intervalMs: 100, timeoutMs: 1000, consecutiveFailures: 2, gracePeriodMs: 10_000 };
  await launch({ taskId: 'tcp', command: { argv: { args: [process.execPath, '-e', server] } }, healthCheck, withPort: true });
  await waitFor(() => updatesOf('tcp').some((u) => u.healthy === true), { timeoutMs: 15_000, what: 'tcp healthy' });
  expect((await agentState(agentAddress)).tasks.find((t) => t.taskId === 'tcp')?.healthy).toBe(true);
  framework.driver.kill('tcp');
  expect(await framework.final('tcp')).toMatchObject({ state: 'TASK_KILLED' });
});
