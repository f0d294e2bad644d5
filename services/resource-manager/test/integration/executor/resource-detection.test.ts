// detectResources on this host, and from inside a cgroup-limited task: an agent that itself runs
// under a cpu quota and memory limit must offer no more than them.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CgroupSupport, TaskRunner, detectResources } from '../../../src/agent/executor';
import { MIB, sweepCgroups, removeTestCgroups, stopRunner, tempWorkDir, testCgroups, waitTerminal } from './helpers';

const cgroups: CgroupSupport = testCgroups('res');
const itIsolated = cgroups.version === 'none' ? it.skip : it;
let workDir: string;

beforeEach(() => {
  workDir = tempWorkDir();
});

afterEach(async () => {
  fs.rmSync(workDir, { recursive: true, force: true });
  expect(await sweepCgroups(cgroups)).toEqual([]);
});

afterAll(() => removeTestCgroups(cgroups));

it('offers integer cpus, memory and disk within what the host has, and applies overrides', async () => {
  const res = await detectResources({ workDir });
  console.log(`detectResources on this host: ${JSON.stringify(res)}`);
  expect(Object.values(res).every(Number.isSafeInteger)).toBe(true);
  expect(res.cpusMilli).toBeGreaterThan(0);
  expect(res.cpusMilli).toBeLessThanOrEqual(os.availableParallelism() * 1000);
  expect(res.memBytes).toBeGreaterThan(0);
  expect(res.memBytes).toBeLessThan(os.totalmem());
  const statfs = fs.statfsSync(workDir);
  expect(res.diskBytes).toBeLessThan(statfs.bavail * statfs.bsize);
  expect(await detectResources({ workDir, overrides: { cpusMilli: 1234, diskBytes: 0 } })).toEqual({ ...res, cpusMilli: 1234, diskBytes: 0 });
});

itIsolated('an agent running under a 0.5-cpu quota and a 512 MiB limit offers no more', async () => {
  const dist = path.join(__dirname, '..', '..', '..', 'dist', 'agent', 'executor', 'index.js');
  if (!fs.existsSync(dist)) throw new Error(`${dist} is missing: run \`npx tsc -b\` before the integration tests`);
  const runner = new TaskRunner({ workDir, cgroups });
  try {
    const script = `require(${JSON.stringify(dist)}).detectResources({ workDir: '.' }).then((r) => console.log(JSON.stringify(r)))`;
    const launched = await runner.launch({
      taskId: 'limited-agent',
      frameworkId: 'fw-res',
      command: { argv: [process.execPath, '-e', script] },
      resources: { cpusMilli: 500, memBytes: 512 * MIB, ports: [] },
    });
    if (!launched.ok) throw new Error(launched.message);
    expect(await waitTerminal(runner, 'limited-agent', 15_000)).toMatchObject({ state: 'FINISHED' });
    const seen = JSON.parse(fs.readFileSync(path.join(launched.sandbox, 'stdout'), 'utf8')) as { cpusMilli: number; memBytes: number };
    // Under 2 GiB the default reservation is half: 512 MiB → 256 MiB offered.
    expect(seen).toMatchObject({ cpusMilli: 500, memBytes: 256 * MIB });
  } finally {
    await stopRunner(runner);
  }
}, 20_000);
