import { MIB } from '../../../src/allocator';
import { parseArgs } from '../../../src/cli/args';

const parse = (argv: string[], env: Record<string, string> = {}) => parseArgs(argv, env);

describe('rmctl arguments', () => {
  test('run with resources, instances and a shell command after --', () => {
    const r = parse(['--coord', 'h:1', 'run', '--cpus', '0.5', '--mem', '64MiB', '--instances', '3', '--name', 'web', '--', 'echo hi > out']);
    expect(r).toMatchObject({ ok: true, invocation: { coord: 'h:1', command: { name: 'run', cpusMilli: 500, memBytes: 64 * MIB, instances: 3, taskName: 'web', command: ['echo hi > out'] } } });
  });

  test('several words after -- are an argv; defaults come from the environment', () => {
    const r = parse(['run', '--', 'sleep', '1'], { RM_COORD: 'e:2', RM_COORD_ROOT: '/x' });
    expect(r).toMatchObject({ ok: true, invocation: { coord: 'e:2', coordRoot: '/x', command: { command: ['sleep', '1'], cpusMilli: 100 } } });
  });

  test('commands with their ids and flags', () => {
    expect(parse(['tasks', '--all'])).toMatchObject({ ok: true, invocation: { command: { name: 'tasks', all: true } } });
    expect(parse(['logs', '-f', 'task-1'])).toMatchObject({ ok: true, invocation: { command: { name: 'logs', taskId: 'task-1', follow: true, stderr: false } } });
    expect(parse(['--json', 'kill', 't'])).toMatchObject({ ok: true, invocation: { json: true, command: { name: 'kill', taskId: 't' } } });
    expect(parse(['drain', 'a1'])).toMatchObject({ ok: true, invocation: { command: { name: 'drain', agentId: 'a1' } } });
  });

  test('usage errors name the problem', () => {
    expect(parse([])).toEqual({ ok: false, error: 'missing command' });
    expect(parse(['frob'])).toMatchObject({ ok: false, error: expect.stringMatching(/unknown command/) });
    expect(parse(['kill'])).toMatchObject({ ok: false, error: expect.stringMatching(/exactly one task id/) });
    expect(parse(['run', '--cpus', 'lots', '--', 'x'])).toMatchObject({ ok: false, error: expect.stringMatching(/cpus/) });
    expect(parse(['run', '--instances', '0', '--', 'x'])).toMatchObject({ ok: false, error: expect.stringMatching(/instances/) });
    expect(parse(['run'])).toMatchObject({ ok: false, error: expect.stringMatching(/needs a command/) });
    expect(parse(['tasks', '--bogus'])).toMatchObject({ ok: false, error: expect.stringMatching(/unknown option --bogus/) });
  });
});
