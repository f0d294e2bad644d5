import { DEFAULT_EXECUTOR_LIMITS as L, MIB } from '../../../src/agent/executor/executor-limits';
import { EXIT_STATUS_FILE, parseExitStatus, WRAPPER_NAME, WRAPPER_SCRIPT, wrapperArgs } from '../../../src/agent/executor/launch-wrapper';
import { buildTaskEnv, commandArgv, LaunchSpec, validateId, validateLaunchSpec } from '../../../src/agent/executor/task-spec';

const spec: LaunchSpec = {
  taskId: 'web-1',
  frameworkId: 'fw-1',
  command: { shell: 'echo hi' },
  env: { FOO: 'bar' },
  resources: { cpusMilli: 200, memBytes: 64 * MIB, ports: [31000, 31001] },
};

describe('validateLaunchSpec', () => {
  it('accepts a sound spec', () => {
    expect(validateLaunchSpec(spec, L)).toEqual({ ok: true });
  });

  it.each([
    ['task id with a slash', { taskId: 'a/b' }, 'INVALID_ID'],
    ['task id ..', { taskId: '..' }, 'INVALID_ID'],
    ['empty framework id', { frameworkId: '' }, 'INVALID_ID'],
    ['task id with a newline', { taskId: 'a\nb' }, 'INVALID_ID'],
    ['blank shell command', { command: { shell: '  ' } }, 'INVALID_COMMAND'],
    ['empty argv', { command: { argv: [] } }, 'INVALID_COMMAND'],
    ['argv with NUL', { command: { argv: ['/bin/echo', 'a\0b'] } }, 'INVALID_COMMAND'],
    ['env overriding TASK_ID', { env: { TASK_ID: 'forged' } }, 'INVALID_ENV'],
    ['env overriding PORT0', { env: { PORT0: '1' } }, 'INVALID_ENV'],
    ['env with a bad name', { env: { 'A-B': '1' } }, 'INVALID_ENV'],
    ['cpus under the CFS floor', { resources: { ...spec.resources, cpusMilli: 5 } }, 'INVALID_RESOURCES'],
    ['fractional memory', { resources: { ...spec.resources, memBytes: 64 * MIB + 0.5 } }, 'INVALID_RESOURCES'],
    ['port 0', { resources: { ...spec.resources, ports: [0] } }, 'INVALID_RESOURCES'],
    ['negative grace', { killGracePeriodMs: -1 }, 'INVALID_ARGUMENT'],
  ] as const)('refuses %s', (_name, over, code) => {
    expect(validateLaunchSpec({ ...spec, ...over } as LaunchSpec, L)).toMatchObject({ ok: false, code });
  });

  it('bounds id length in bytes, not characters', () => {
    expect(validateId('task', 'é'.repeat(101), 200)).toMatchObject({ ok: false, code: 'INVALID_ID' });
    expect(validateId('task', 'é'.repeat(100), 200)).toEqual({ ok: true });
  });

  it('bounds the shell command and the environment', () => {
    expect(validateLaunchSpec({ ...spec, command: { shell: 'x'.repeat(L.shellCommandBytesMax + 1) } }, L)).toMatchObject({ code: 'INVALID_COMMAND' });
    expect(validateLaunchSpec({ ...spec, env: { BIG: 'x'.repeat(L.envBytesMax) } }, L)).toMatchObject({ code: 'INVALID_ENV' });
  });
});

describe('buildTaskEnv', () => {
  it('gives PATH, the task variables, TASK_ID, FRAMEWORK_ID, SANDBOX, PORT0..n and PORTS', () => {
    const env = buildTaskEnv({ taskId: 't', frameworkId: 'f', sandbox: '/sb', ports: [31000, 31005], env: { FOO: 'bar' }, defaultPath: '/bin' });
    expect(env).toEqual({ PATH: '/bin', HOME: '/sb', FOO: 'bar', TASK_ID: 't', FRAMEWORK_ID: 'f', SANDBOX: '/sb', PORT0: '31000', PORT1: '31005', PORTS: '31000,31005' });
  });

  it('lets a task set its own PATH, and gives PORTS="" without ports', () => {
    const env = buildTaskEnv({ taskId: 't', frameworkId: 'f', sandbox: '/sb', ports: [], env: { PATH: '/opt/bin' }, defaultPath: '/bin' });
    expect(env.PATH).toBe('/opt/bin');
    expect(env.PORTS).toBe('');
    expect(env.PORT0).toBeUndefined();
  });
});

describe('launch wrapper', () => {
  it('runs a shell command through sh -c and argv as given', () => {
    expect(commandArgv({ shell: 'exit 3' }, '/bin/sh')).toEqual(['/bin/sh', '-c', 'exit 3']);
    expect(commandArgv({ argv: ['/usr/bin/env', '-0'] }, '/bin/sh')).toEqual(['/usr/bin/env', '-0']);
  });

  it('passes the status file, the count of cgroup.procs files and the files before the command', () => {
    const args = wrapperArgs({ exitStatusFile: `/sb/${EXIT_STATUS_FILE}`, procsFiles: ['/cg/a/cgroup.procs', '/cg/b/cgroup.procs'], argv: ['/bin/true'] });
    expect(args).toEqual(['-c', WRAPPER_SCRIPT, WRAPPER_NAME, '/sb/.exit_status', '2', '/cg/a/cgroup.procs', '/cg/b/cgroup.procs', '/bin/true']);
  });

  it('joins the cgroups before running the command, and records $? after it', () => {
    const join = WRAPPER_SCRIPT.indexOf('echo $$ >');
    const run = WRAPPER_SCRIPT.indexOf('"$@"');
    const record = WRAPPER_SCRIPT.indexOf('echo "$code" > "$status_file"');
    expect(join).toBeGreaterThan(-1);
    expect(join).toBeLessThan(run);
    expect(run).toBeLessThan(record);
  });

  it('reads .exit_status strictly', () => {
    expect(parseExitStatus('0\n')).toBe(0);
    expect(parseExitStatus('137\n')).toBe(137);
    expect(parseExitStatus('')).toBeUndefined();
    expect(parseExitStatus('256')).toBeUndefined();
    expect(parseExitStatus('3x')).toBeUndefined();
  });
});
