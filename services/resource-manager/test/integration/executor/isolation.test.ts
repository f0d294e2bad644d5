// cgroup isolation with real processes: placement before user code, the OOM kill, the CPU quota.
// Needs writable cgroups (v2, or v1 as on many CI hosts); without them each test says why and skips.

import * as fs from 'node:fs';
import { CgroupSupport, LaunchSpec, TaskRunner, cgroupNameForTask } from '../../../src/agent/executor';
import { MIB, delay, killQuietly, sweepCgroups, readSandboxFile, removeTestCgroups, stopRunner, tempWorkDir, testCgroups, waitFor, waitTerminal } from './helpers';

const cgroups: CgroupSupport = testCgroups('iso');
const itIsolated = cgroups.version === 'none' ? it.skip : it;
let workDir: string;
let runner: TaskRunner;
const strayPids = new Set<number>();

async function launchOk(s: LaunchSpec): Promise<{ pid: number; sandbox: string }> {
  const result = await runner.launch(s);
  if (!result.ok) throw new Error(`launch failed: ${result.code} ${result.message}`);
  strayPids.add(result.pid);
  return result;
}

beforeAll(() => {
  if (cgroups.version === 'none') console.warn(`SKIPPING cgroup isolation tests: cgroups are not writable here (${cgroups.reason})`);
  else console.log(`cgroup isolation tests on cgroup v${cgroups.version}`);
});

beforeEach(() => {
  workDir = tempWorkDir();
  runner = new TaskRunner({ workDir, cgroups });
});

afterEach(async () => {
  try {
    await stopRunner(runner);
  } finally {
    killQuietly(strayPids);
    strayPids.clear();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  expect(await sweepCgroups(cgroups)).toEqual([]);
});

afterAll(() => removeTestCgroups(cgroups));

itIsolated('the very first user command already runs inside the task cgroup', async () => {
  const s: LaunchSpec = { taskId: 'placed', frameworkId: 'fw-iso', command: { shell: 'cat /proc/self/cgroup' }, resources: { cpusMilli: 100, memBytes: 32 * MIB, ports: [] } };
  const { sandbox } = await launchOk(s);
  expect(await waitTerminal(runner, s.taskId)).toMatchObject({ state: 'FINISHED' });
  // /proc/self/cgroup lines are "id:controllers:path"; v2 has the single line "0::path".
  const pathOf = new Map<string, string>();
  for (const line of readSandboxFile(sandbox, 'stdout').trim().split('\n')) {
    const [, controllers = '', cgPath = ''] = line.split(':');
    for (const c of controllers === '' ? ['unified'] : controllers.split(',')) pathOf.set(c, cgPath);
  }
  const expected = `/${cgroups.version !== 'none' ? cgroups.parentName : ''}/${cgroupNameForTask('placed')}`;
  for (const c of cgroups.version === 2 ? ['unified'] : ['cpu', 'cpuacct', 'memory']) expect([c, pathOf.get(c)]).toEqual([c, expected]);
}, 15_000);

itIsolated('a task allocating well past a 64 MiB limit is FAILED with the memory-limitation reason', async () => {
  // Buffer.alloc(n, 1) touches every page, so the memory is really charged to the cgroup.
  const script = 'const keep = []; for (let i = 0; i < 512; i++) keep.push(Buffer.alloc(1 << 20, 1)); console.log("survived", keep.length)';
  const s: LaunchSpec = { taskId: 'hog', frameworkId: 'fw-iso', command: { argv: [process.execPath, '-e', script] }, resources: { cpusMilli: 1000, memBytes: 64 * MIB, ports: [] } };
  const started = Date.now();
  const { sandbox } = await launchOk(s);
  const status = await waitTerminal(runner, s.taskId, 20_000);
  console.log(`OOM: ${status.state} ${status.reason} exitCode=${status.exitCode} after ${Date.now() - started} ms; ${status.message}`);
  expect(status).toMatchObject({ state: 'FAILED', reason: 'REASON_CONTAINER_LIMITATION_MEMORY', exitCode: 137 });
  expect(readSandboxFile(sandbox, 'stdout')).not.toContain('survived');
}, 30_000);

itIsolated('the same node under the same 64 MiB limit, allocating 8 MiB, is FINISHED (no false OOM)', async () => {
  const script = 'const keep = []; for (let i = 0; i < 8; i++) keep.push(Buffer.alloc(1 << 20, 1)); console.log("kept", keep.length)';
  const s: LaunchSpec = { taskId: 'modest', frameworkId: 'fw-iso', command: { argv: [process.execPath, '-e', script] }, resources: { cpusMilli: 1000, memBytes: 64 * MIB, ports: [] } };
  const { sandbox } = await launchOk(s);
  expect(await waitTerminal(runner, s.taskId, 20_000)).toMatchObject({ state: 'FINISHED' });
  expect(readSandboxFile(sandbox, 'stdout')).toBe('kept 8\n');
}, 30_000);

itIsolated('a busy loop under a 0.2-cpu limit uses about 20% of one core', async () => {
  const s: LaunchSpec = { taskId: 'spin', frameworkId: 'fw-iso', command: { shell: 'while :; do :; done' }, resources: { cpusMilli: 200, memBytes: 32 * MIB, ports: [] } };
  await launchOk(s);
  const usage = (): number | undefined => {
    const stats = runner.statistics(s.taskId);
    return stats.ok ? stats.cpuUsageUsec : undefined;
  };
  // Let the loop start, then measure over a ~2 s window (a measurement interval, not a wait for an event).
  await waitFor('cpu usage to show', () => (usage() ?? 0) > 0);
  const t0 = process.hrtime.bigint();
  const u0 = usage()!;
  await delay(2000);
  const u1 = usage()!;
  const wallUsec = Number(process.hrtime.bigint() - t0) / 1000;
  const ratio = (u1 - u0) / wallUsec;
  console.log(`CPU: busy loop under cpusMilli=200 used ${((u1 - u0) / 1000).toFixed(1)} ms cpu in ${(wallUsec / 1000).toFixed(1)} ms wall: ratio ${ratio.toFixed(3)}`);
  expect(ratio).toBeGreaterThan(0.1);
  expect(ratio).toBeLessThan(0.35);
  runner.kill(s.taskId, 0);
  expect(await waitTerminal(runner, s.taskId)).toMatchObject({ state: 'KILLED' });
}, 20_000);
