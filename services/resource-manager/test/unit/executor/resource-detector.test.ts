import { GIB, MIB } from '../../../src/agent/executor/executor-limits';
import { computeResources, HostFacts, tightest } from '../../../src/agent/executor/resource-detector';

const host: HostFacts = { parallelism: 8, totalMemBytes: 32 * GIB, freeDiskBytes: 500 * GIB, self: {} };

describe('computeResources', () => {
  it('offers every cpu, memory minus 1 GiB and disk minus 5 GiB on a big host', () => {
    expect(computeResources(host)).toEqual({ cpusMilli: 8000, memBytes: 31 * GIB, diskBytes: 495 * GIB });
  });

  it('reserves half of a small host', () => {
    expect(computeResources({ ...host, totalMemBytes: 1 * GIB, freeDiskBytes: 4 * GIB })).toMatchObject({ memBytes: 512 * MIB, diskBytes: 2 * GIB });
  });

  it('respects a cgroup cpu quota and memory limit on the agent itself', () => {
    const limited = computeResources({ ...host, self: { cpusMilli: 1500, memBytes: 4 * GIB } });
    expect(limited).toMatchObject({ cpusMilli: 1500, memBytes: 3 * GIB });
  });

  it('ignores a cgroup limit above what the host has', () => {
    expect(computeResources({ ...host, self: { cpusMilli: 64_000, memBytes: 1024 * GIB } })).toMatchObject({ cpusMilli: 8000, memBytes: 31 * GIB });
  });

  it('takes explicit reservations and overrides', () => {
    const res = computeResources(host, { memReservedBytes: 0, diskReservedBytes: 0, overrides: { cpusMilli: 2500 } });
    expect(res).toEqual({ cpusMilli: 2500, memBytes: 32 * GIB, diskBytes: 500 * GIB });
  });

  it('returns integers only and refuses a fractional override', () => {
    const res = computeResources({ ...host, totalMemBytes: 3 * GIB + 0.5, freeDiskBytes: 11 * GIB + 0.25 });
    expect(Object.values(res).every(Number.isSafeInteger)).toBe(true);
    expect(() => computeResources(host, { overrides: { memBytes: 1.5 } })).toThrow(/non-negative integer/);
  });
});

describe('tightest', () => {
  it('is the smallest limit over a cgroup and its ancestors, undefined when none is set', () => {
    expect(tightest([undefined, 3000, 1500, undefined])).toBe(1500);
    expect(tightest([undefined, undefined])).toBeUndefined();
  });
});
