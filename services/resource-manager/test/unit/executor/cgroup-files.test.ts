import {
  cgroupDirIn,
  cgroupNameForTask,
  cpuLimitMilliV1,
  cpuLimitMilliV2,
  cpuUsageUsecV1,
  cpuUsageUsecV2,
  memoryLimitBytes,
  oomKilledV1,
  oomKilledV2,
  parseMountInfo,
  parsePidList,
  parseProcCgroup,
  v1CpuWrites,
  v1MemoryWrites,
  v2LimitWrites,
} from '../../../src/agent/executor/cgroup-files';

const MIB = 1024 * 1024;

describe('limit files from resources', () => {
  it('v2: cpu.max is "<quota> <period>" with a 100000 µs period, memory.max in bytes, swap off when present', () => {
    expect(v2LimitWrites({ cpusMilli: 200, memBytes: 64 * MIB }, { swapMax: true })).toEqual([
      ['cpu.weight', '8'],
      ['cpu.max', '20000 100000'],
      ['memory.max', String(64 * MIB)],
      ['memory.swap.max', '0'],
    ]);
  });

  it('v2: no memory.swap.max write when the kernel has no swap accounting', () => {
    const files = v2LimitWrites({ cpusMilli: 1500, memBytes: 128 * MIB }, { swapMax: false }).map(([f]) => f);
    expect(files).not.toContain('memory.swap.max');
    expect(v2LimitWrites({ cpusMilli: 1500, memBytes: 128 * MIB }, { swapMax: false })).toContainEqual(['cpu.max', '150000 100000']);
  });

  it('v2: one cpu weighs as much as 1024 v1 shares (cpu.weight 39), the default 100 is about 2.6 cpus', () => {
    expect(v2LimitWrites({ cpusMilli: 1000, memBytes: 64 * MIB }, { swapMax: false })[0]).toEqual(['cpu.weight', '39']);
  });

  it('the CFS quota never drops below the kernel floor of 1 ms', () => {
    expect(v2LimitWrites({ cpusMilli: 1, memBytes: 64 * MIB }, { swapMax: false })).toContainEqual(['cpu.max', '1000 100000']);
  });

  it('v1: period, then quota, and shares at 1024 per cpu', () => {
    expect(v1CpuWrites({ cpusMilli: 250, memBytes: 64 * MIB })).toEqual([
      ['cpu.shares', '256'],
      ['cpu.cfs_period_us', '100000'],
      ['cpu.cfs_quota_us', '25000'],
    ]);
  });

  it('v1: memsw is written after the memory limit and equal to it, so swap cannot hide an OOM', () => {
    expect(v1MemoryWrites({ cpusMilli: 100, memBytes: 64 * MIB }, { memsw: true })).toEqual([
      ['memory.limit_in_bytes', String(64 * MIB)],
      ['memory.memsw.limit_in_bytes', String(64 * MIB)],
    ]);
    expect(v1MemoryWrites({ cpusMilli: 100, memBytes: 64 * MIB }, { memsw: false })).toHaveLength(1);
  });
});

describe('cgroupNameForTask', () => {
  it('prefixes simple ids so they cannot collide with interface files like cpu.max', () => {
    expect(cgroupNameForTask('web-1.abc_2')).toBe('task-web-1.abc_2');
    expect(cgroupNameForTask('cpu.max')).toBe('task-cpu.max');
  });

  it('replaces unsafe characters and adds a hash so distinct ids stay distinct', () => {
    const spaced = cgroupNameForTask('a b');
    const underscored = cgroupNameForTask('a_b');
    expect(spaced).toMatch(/^task-a_b-[0-9a-f]{10}$/);
    expect(underscored).toBe('task-a_b');
    expect(spaced).not.toBe(underscored);
    expect(cgroupNameForTask('tâche:1')).toMatch(/^task-t_che_1-[0-9a-f]{10}$/);
  });

  it('caps long ids (a directory name has at most 255 bytes) and keeps them distinct', () => {
    const a = cgroupNameForTask(`${'x'.repeat(300)}a`);
    const b = cgroupNameForTask(`${'x'.repeat(300)}b`);
    expect(a.length).toBeLessThanOrEqual(255);
    expect(a).not.toBe(b);
  });
});

describe('mountinfo and /proc/self/cgroup', () => {
  const hybrid = [
    '31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755',
    '32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:9 - cgroup cgroup rw,cpu,cpuacct',
    '35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory',
    '40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd',
    '41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate',
    '50 23 8:1 / /work rw,relatime - ext4 /dev/sda1 rw',
  ].join('\n');

  it('finds v1 hierarchies with their controllers (co-mounted ones too) and the v2 mount', () => {
    expect(parseMountInfo(hybrid)).toEqual([
      { mountPoint: '/sys/fs/cgroup/cpu,cpuacct', root: '/', version: 1, controllers: ['cpu', 'cpuacct'] },
      { mountPoint: '/sys/fs/cgroup/memory', root: '/', version: 1, controllers: ['memory'] },
      { mountPoint: '/sys/fs/cgroup/systemd', root: '/', version: 1, controllers: [] },
      { mountPoint: '/sys/fs/cgroup/unified', root: '/', version: 2, controllers: [] },
    ]);
  });

  it('decodes octal escapes in mount points', () => {
    const [mount] = parseMountInfo('41 31 0:38 / /mnt/my\\040cg rw - cgroup2 cgroup2 rw');
    expect(mount?.mountPoint).toBe('/mnt/my cg');
  });

  it('reads v1 controller paths and the unified path, ignoring named hierarchies', () => {
    const text = '9:name=systemd:/\n4:memory:/process_api/abc\n2:cpu,cpuacct:/x\n0::/user.slice\n';
    expect(parseProcCgroup(text)).toEqual({ unified: '/user.slice', v1: { memory: '/process_api/abc', cpu: '/x', cpuacct: '/x' } });
  });

  it('maps a cgroup path into a mount, including a mount that starts below the hierarchy root', () => {
    const whole = { mountPoint: '/sys/fs/cgroup', root: '/', version: 2 as const, controllers: [] };
    expect(cgroupDirIn(whole, '/a/b')).toBe('/sys/fs/cgroup/a/b');
    expect(cgroupDirIn(whole, '/')).toBe('/sys/fs/cgroup');
    const nested = { ...whole, root: '/docker/abc' };
    expect(cgroupDirIn(nested, '/docker/abc/sub')).toBe('/sys/fs/cgroup/sub');
    expect(cgroupDirIn(nested, '/elsewhere')).toBeUndefined();
  });
});

describe('reading what the kernel reports', () => {
  it('v2 OOM: memory.events oom_kill > 0 (oom alone means the limit was hit, not a kill)', () => {
    expect(oomKilledV2('low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\n')).toBe(true);
    expect(oomKilledV2('low 0\nhigh 0\nmax 12\noom 1\noom_kill 0\n')).toBe(false);
    expect(oomKilledV2('')).toBe(false);
  });

  it('v1 OOM: the oom_kill counter when the kernel has it, else failcnt plus death by SIGKILL', () => {
    expect(oomKilledV1('oom_kill_disable 0\nunder_oom 0\noom_kill 2\n', '5', false)).toBe(true);
    expect(oomKilledV1('oom_kill_disable 0\nunder_oom 0\noom_kill 0\n', '5', true)).toBe(false);
    expect(oomKilledV1('oom_kill_disable 0\nunder_oom 0\n', '5', true)).toBe(true);
    expect(oomKilledV1('oom_kill_disable 0\nunder_oom 0\n', '5', false)).toBe(false);
    expect(oomKilledV1('oom_kill_disable 0\nunder_oom 0\n', '0', true)).toBe(false);
  });

  it('cpu usage: v2 usage_usec, v1 cpuacct.usage in nanoseconds', () => {
    expect(cpuUsageUsecV2('usage_usec 123456\nuser_usec 100000\nsystem_usec 23456\n')).toBe(123456);
    expect(cpuUsageUsecV1('987654321\n')).toBe(987654);
    expect(cpuUsageUsecV1('')).toBeUndefined();
  });

  it('cpu limits of the agent itself', () => {
    expect(cpuLimitMilliV2('max 100000\n')).toBeUndefined();
    expect(cpuLimitMilliV2('150000 100000\n')).toBe(1500);
    expect(cpuLimitMilliV1('-1\n', '100000\n')).toBeUndefined();
    expect(cpuLimitMilliV1('50000\n', '100000\n')).toBe(500);
  });

  it('memory limits: "max" and the v1 page-counter maximum mean none', () => {
    expect(memoryLimitBytes('max\n')).toBeUndefined();
    expect(memoryLimitBytes('9223372036854771712\n')).toBeUndefined();
    expect(memoryLimitBytes('536870912\n')).toBe(512 * MIB);
  });

  it('pid lists', () => {
    expect(parsePidList('12\n345\n\n')).toEqual([12, 345]);
    expect(parsePidList('')).toEqual([]);
  });
});
