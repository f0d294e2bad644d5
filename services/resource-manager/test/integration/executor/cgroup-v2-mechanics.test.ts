// The cgroup v2 code paths that do not need controllers: joining through the launch wrapper,
// listing members, CPU accounting (cpu.stat is core in v2), cgroup.kill, removal. On a hybrid
// host the unified hierarchy has no cpu/memory controllers, so detectCgroups picks v1 there, but
// these mechanics still run for real on it. Skipped (with the reason) where no cgroup2 is writable.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { attachTaskCgroup, parseMountInfo, spawnWrapped, TaskCgroup } from '../../../src/agent/executor';
import { killQuietly, processGone, tempWorkDir, waitFor } from './helpers';

function writableV2Parent(): { dir: string } | { skip: string } {
  const mount = parseMountInfo(fs.readFileSync('/proc/self/mountinfo', 'utf8')).find((m) => m.version === 2);
  if (!mount) return { skip: 'no cgroup2 mount' };
  const dir = path.join(mount.mountPoint, `ensemble-test-v2-${process.pid}`);
  try {
    fs.mkdirSync(dir);
  } catch (err) {
    return { skip: `cannot create ${dir}: ${(err as Error).message}` };
  }
  if (!fs.existsSync(path.join(dir, 'cgroup.kill'))) {
    fs.rmdirSync(dir);
    return { skip: 'this kernel has no cgroup.kill (Linux < 5.14)' };
  }
  return { dir };
}

const parent = writableV2Parent();
const itV2 = 'dir' in parent ? it : it.skip;
let workDir: string;
let cgroup: TaskCgroup | undefined;
const strayPids = new Set<number>();

beforeAll(() => {
  if ('skip' in parent) console.warn(`SKIPPING cgroup v2 mechanics: ${parent.skip}`);
});

beforeEach(() => {
  workDir = tempWorkDir();
});

afterEach(async () => {
  killQuietly(strayPids);
  strayPids.clear();
  if (cgroup) expect(await cgroup.remove()).toEqual({ ok: true });
  fs.rmSync(workDir, { recursive: true, force: true });
});

afterAll(() => {
  if ('dir' in parent) fs.rmdirSync(parent.dir);
});

itV2('the wrapper joins a v2 cgroup, its CPU time is accounted, and cgroup.kill ends every member', async () => {
  if (!('dir' in parent)) throw new Error('assertion: itV2 runs only with a parent');
  const dir = path.join(parent.dir, 'task-v2');
  fs.mkdirSync(dir);
  cgroup = attachTaskCgroup({ version: 2, dir });
  const sandbox = path.join(workDir, 'sandbox');
  const spawned = await spawnWrapped({
    shellPath: '/bin/sh',
    sandbox,
    argv: ['/bin/sh', '-c', 'sleep 300 & while :; do :; done'],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    procsFiles: cgroup.procsFiles,
  });
  if (!spawned.ok) throw new Error(spawned.message);
  strayPids.add(spawned.pid);
  const exited = new Promise<NodeJS.Signals | null>((resolve) => spawned.child.once('exit', (_code, signal) => resolve(signal)));
  // wrapper, the command's shell, and sleep.
  const members = await waitFor('three members', () => {
    const pids = cgroup!.pids();
    return pids.length >= 3 && pids;
  });
  expect(members).toContain(spawned.pid);
  const before = cgroup.cpuUsageUsec() ?? 0;
  await waitFor('cpu time to be accounted', () => (cgroup!.cpuUsageUsec() ?? 0) > before + 10_000);
  expect(cgroup.oomKilled()).toBe(false);

  cgroup.kill();
  expect(await exited).toBe('SIGKILL');
  await waitFor('every member gone', () => members.every(processGone) && cgroup!.pids().length === 0);
  expect(await cgroup.remove()).toEqual({ ok: true });
  expect(fs.existsSync(dir)).toBe(false);
  cgroup = undefined;
}, 15_000);
