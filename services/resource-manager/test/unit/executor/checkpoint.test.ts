import { parseCheckpoint, TaskCheckpoint, validateCheckpoint } from '../../../src/agent/executor/checkpoint';

const valid: TaskCheckpoint = {
  formatVersion: 1,
  taskId: 't-1',
  frameworkId: 'fw',
  pid: 4242,
  pgid: 4242,
  startTimeTicks: 157780,
  bootId: 'cd2064ee-25a3-4f3a-89c1-0ccd5c553757',
  cgroup: { version: 1, cpuDir: '/sys/fs/cgroup/cpu/ensemble/task-t-1', cpuacctDir: '/sys/fs/cgroup/cpuacct/ensemble/task-t-1', memoryDir: '/sys/fs/cgroup/memory/ensemble/task-t-1' },
  sandbox: '/var/lib/ensemble/sandboxes/fw/t-1',
  command: { shell: 'sleep 10' },
  resources: { cpusMilli: 200, memBytes: 67108864, ports: [31000] },
  killGracePeriodMs: 5000,
  launchedAtMs: 1_700_000_000_000,
};

function without(field: keyof TaskCheckpoint): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...valid };
  delete copy[field];
  return copy;
}

describe('checkpoint record validation', () => {
  it('accepts a complete record, with v1, v2 or no cgroup, and argv commands', () => {
    expect(validateCheckpoint(valid)).toEqual({ ok: true, record: valid });
    expect(validateCheckpoint({ ...valid, cgroup: { version: 2, dir: '/sys/fs/cgroup/ensemble/task-t-1' } }).ok).toBe(true);
    expect(validateCheckpoint({ ...valid, cgroup: null, command: { argv: ['/bin/true'] } }).ok).toBe(true);
  });

  it('round-trips through JSON', () => {
    expect(parseCheckpoint(JSON.stringify(valid))).toEqual({ ok: true, record: valid });
  });

  it.each(['pid', 'pgid', 'startTimeTicks', 'bootId', 'sandbox', 'command', 'taskId', 'resources'] as const)(
    'names the missing field %s',
    (field) => {
      expect(validateCheckpoint(without(field))).toEqual({ ok: false, code: 'INVALID_CHECKPOINT', message: `checkpoint field ${field} is missing or invalid` });
    },
  );

  it('rejects values that would mislead recovery', () => {
    const bad = (over: Record<string, unknown>) => validateCheckpoint({ ...valid, ...over });
    expect(bad({ pid: 0 }).ok).toBe(false); // kill(-0) would signal our own group
    expect(bad({ pid: -5 }).ok).toBe(false);
    expect(bad({ pid: 1.5 }).ok).toBe(false);
    expect(bad({ startTimeTicks: '157780' }).ok).toBe(false);
    expect(bad({ sandbox: 'relative/dir' }).ok).toBe(false);
    expect(bad({ cgroup: { version: 2, dir: 'relative' } }).ok).toBe(false);
    expect(bad({ cgroup: { version: 3, dir: '/x' } }).ok).toBe(false);
    expect(bad({ formatVersion: 2 }).ok).toBe(false);
    expect(bad({ command: { argv: [] } }).ok).toBe(false);
    expect(bad({ killRequestedAtMs: -1 }).ok).toBe(false);
  });

  it('accepts only a terminal status for the same task', () => {
    const terminal = { taskId: 't-1', frameworkId: 'fw', state: 'FINISHED', exitCode: 0, timestampMs: 1 };
    expect(validateCheckpoint({ ...valid, terminal }).ok).toBe(true);
    expect(validateCheckpoint({ ...valid, terminal: { ...terminal, state: 'RUNNING' } }).ok).toBe(false);
    expect(validateCheckpoint({ ...valid, terminal: { ...terminal, taskId: 'other' } }).ok).toBe(false);
  });

  it('reports text that is not JSON or not an object', () => {
    const notJson = parseCheckpoint('{"pid": 4');
    expect(notJson.ok).toBe(false);
    expect(!notJson.ok && notJson.message).toMatch(/^checkpoint is not JSON/);
    expect(parseCheckpoint('[1,2]')).toEqual({ ok: false, code: 'INVALID_CHECKPOINT', message: 'checkpoint is not a JSON object' });
  });
});
