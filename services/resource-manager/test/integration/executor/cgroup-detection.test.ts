// detectCgroups on this host and on made-up mount tables: it must prove writability for real
// and, when it cannot, say why.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectCgroups, removeCgroupParent } from '../../../src/agent/executor';
import { leftoverCgroups, parentDirs, tempWorkDir } from './helpers';

let workDir: string;

beforeEach(() => {
  workDir = tempWorkDir();
});

afterEach(() => {
  fs.rmSync(workDir, { recursive: true, force: true });
});

it('finds cgroup v2 or v1 on this host, or says why not; the probe leaves only the empty parent', () => {
  const support = detectCgroups({ parentName: `ensemble-test-detect-${process.pid}` });
  console.log(`detectCgroups on this host: ${JSON.stringify(support)}`);
  if (support.version === 'none') {
    expect(support.reason.length).toBeGreaterThan(0);
    return;
  }
  for (const dir of parentDirs(support)) expect(fs.existsSync(path.join(dir, 'cgroup.procs'))).toBe(true);
  expect(leftoverCgroups(support)).toEqual([]);
  expect(removeCgroupParent(support)).toEqual({ ok: true });
  for (const dir of parentDirs(support)) expect(fs.existsSync(dir)).toBe(false);
});

it('reports "none" with a reason when no cgroup hierarchy is mounted', () => {
  const mountInfo = path.join(workDir, 'mountinfo');
  fs.writeFileSync(mountInfo, '50 23 8:1 / / rw,relatime - ext4 /dev/sda1 rw\n');
  expect(detectCgroups({ mountInfoPath: mountInfo })).toEqual({ version: 'none', reason: 'no cgroup v1 hierarchies for cpu, cpuacct and memory' });
});

it('does not mistake an ordinary directory for a cgroup hierarchy', () => {
  const fakeRoot = path.join(workDir, 'fake-cgroup');
  fs.mkdirSync(fakeRoot);
  const mountInfo = path.join(workDir, 'mountinfo');
  fs.writeFileSync(mountInfo, `32 31 0:29 / ${fakeRoot} rw,relatime - cgroup cgroup rw,cpu,cpuacct,memory\n`);
  const support = detectCgroups({ mountInfoPath: mountInfo, parentName: 'ensemble' });
  expect(support.version).toBe('none');
  expect(support.version === 'none' && support.reason).toMatch(/is not a cgroup \(the kernel made no cgroup\.procs\)/);
  expect(fs.readdirSync(path.join(fakeRoot, 'ensemble'))).toEqual([]);
});

it('reports an unreadable mount table', () => {
  const support = detectCgroups({ mountInfoPath: path.join(workDir, 'missing') });
  expect(support.version === 'none' && support.reason).toMatch(/^cannot read mountinfo/);
});
