// Real tasks through the TaskRunner: outcomes, environment, kill with grace, output.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { CgroupSupport, LaunchSpec, TaskRunner, TaskStatus } from '../../../src/agent/executor';
import {
  MIB,
  killQuietly,
  sweepCgroups,
  processGone,
  readSandboxFile,
  removeTestCgroups,
  stopRunner,
  tempWorkDir,
  testCgroups,
  waitFor,
  waitTerminal,
} from './helpers';

const cgroups: CgroupSupport = testCgroups('life');
let workDir: string;
let runner: TaskRunner;
let statuses: TaskStatus[];
const strayPids = new Set<number>();
let seq = 0;

function spec(command: LaunchSpec['command'], over: Partial<LaunchSpec> = {}): LaunchSpec {
  seq += 1;
  return { taskId: `task-${seq}`, frameworkId: 'fw-life', command, resources: { cpusMilli: 500, memBytes: 64 * MIB, ports: [] }, ...over };
}

async function launchOk(s: LaunchSpec): Promise<{ pid: number; sandbox: string }> {
  const result = await runner.launch(s);
  if (!result.ok) throw new Error(`launch failed: ${result.code} ${result.message}`);
  strayPids.add(result.pid);
  return result;
}

/** Waits for a line the task prints once its signal handlers are in place. */
function waitForOutput(sandbox: string, text: string): Promise<true> {
  return waitFor(`"${text}" in stdout`, () => fs.existsSync(path.join(sandbox, 'stdout')) && readSandboxFile(sandbox, 'stdout').includes(text));
}

beforeAll(() => {
  if (cgroups.version === 'none') console.warn(`executor tests run unisolated: ${cgroups.reason}`);
});

beforeEach(() => {
  workDir = tempWorkDir();
  runner = new TaskRunner({ workDir, cgroups });
  statuses = [];
  runner.onStatus((s) => statuses.push(s));
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

describe('task outcomes', () => {
  it('a task that writes a file in its sandbox and exits 0 is FINISHED, after STARTING and RUNNING', async () => {
    const s = spec({ shell: 'echo hello > made-here.txt; echo to-stdout; echo to-stderr >&2' });
    const { sandbox } = await launchOk(s);
    const status = await waitTerminal(runner, s.taskId);
    expect(status).toMatchObject({ state: 'FINISHED', exitCode: 0 });
    expect(sandbox).toBe(path.join(workDir, 'sandboxes', 'fw-life', s.taskId));
    expect(readSandboxFile(sandbox, 'made-here.txt')).toBe('hello\n');
    expect(readSandboxFile(sandbox, 'stdout')).toBe('to-stdout\n');
    expect(readSandboxFile(sandbox, 'stderr')).toBe('to-stderr\n');
    expect(statuses.map((x) => x.state)).toEqual(['STARTING', 'RUNNING', 'FINISHED']);
  }, 15_000);

  it('exit 3 is FAILED with code 3', async () => {
    const s = spec({ shell: 'exit 3' });
    await launchOk(s);
    expect(await waitTerminal(runner, s.taskId)).toMatchObject({ state: 'FAILED', reason: 'REASON_COMMAND_EXECUTOR_FAILED', exitCode: 3 });
  }, 15_000);

  it('a command that does not exist is FAILED with the shell code 127', async () => {
    const s = spec({ argv: ['/nonexistent/program'] });
    await launchOk(s);
    expect(await waitTerminal(runner, s.taskId)).toMatchObject({ state: 'FAILED', exitCode: 127 });
  }, 15_000);

  it('the task runs with cwd = sandbox and the promised environment, not the agent environment', async () => {
    const s = spec({ argv: ['/bin/sh', '-c', 'pwd; env'] }, { env: { FOO: 'bar baz' }, resources: { cpusMilli: 100, memBytes: 64 * MIB, ports: [31000, 31002] } });
    const { sandbox } = await launchOk(s);
    expect(await waitTerminal(runner, s.taskId)).toMatchObject({ state: 'FINISHED' });
    const [cwd, ...envLines] = readSandboxFile(sandbox, 'stdout').trim().split('\n');
    expect(cwd).toBe(sandbox);
    expect(envLines).toEqual(
      expect.arrayContaining([`TASK_ID=${s.taskId}`, 'FRAMEWORK_ID=fw-life', `SANDBOX=${sandbox}`, 'PORT0=31000', 'PORT1=31002', 'PORTS=31000,31002', 'FOO=bar baz']),
    );
    expect(process.env.JEST_WORKER_ID).toBeDefined();
    expect(envLines.some((l) => l.startsWith('JEST_WORKER_ID='))).toBe(false);
  }, 15_000);

  it('the task leads its own process group (detached), so a kill reaches all of it', async () => {
    const s = spec({ shell: 'cat /proc/self/stat > own-stat.tmp && mv own-stat.tmp own-stat; exec sleep 30' });
    const { pid, sandbox } = await launchOk(s);
    const stat = await waitFor('own-stat', () => fs.existsSync(path.join(sandbox, 'own-stat')) && readSandboxFile(sandbox, 'own-stat'));
    // Fields after the comm: state ppid pgrp session.
    const [, , pgrp, session] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    expect(Number(pgrp)).toBe(pid);
    expect(Number(session)).toBe(pid);
    expect(runner.kill(s.taskId, 0)).toEqual({ ok: true });
    expect(await waitTerminal(runner, s.taskId)).toMatchObject({ state: 'KILLED' });
  }, 15_000);

  it('refuses a second launch of the same task id and invalid specs, without emitting anything', async () => {
    const s = spec({ shell: 'exit 0' });
    await launchOk(s);
    await waitTerminal(runner, s.taskId);
    const before = statuses.length;
    expect(await runner.launch(s)).toMatchObject({ ok: false, code: 'TASK_EXISTS' });
    expect(await runner.launch({ ...spec({ shell: 'true' }), taskId: '../escape' })).toMatchObject({ ok: false, code: 'INVALID_ID' });
    expect(statuses).toHaveLength(before);
    expect(runner.forget(s.taskId, { removeSandbox: true })).toEqual({ ok: true });
    expect((await runner.launch(s)).ok).toBe(true);
    await waitTerminal(runner, s.taskId);
  }, 15_000);
});

describe('kill with grace', () => {
  it('a task that traps TERM and exits is KILLED quickly, well inside the grace period', async () => {
    const s = spec({ shell: 'trap "echo got-term; exit 0" TERM; echo ready; while :; do sleep 0.05; done' });
    const { sandbox } = await launchOk(s);
    await waitForOutput(sandbox, 'ready');
    const started = Date.now();
    expect(runner.kill(s.taskId, 10_000)).toEqual({ ok: true });
    const status = await waitTerminal(runner, s.taskId);
    const tookMs = Date.now() - started;
    expect(status).toMatchObject({ state: 'KILLED', exitCode: 0 });
    expect(tookMs).toBeLessThan(5000);
    expect(readSandboxFile(sandbox, 'stdout')).toContain('got-term');
    expect(runner.kill(s.taskId)).toMatchObject({ ok: false, code: 'ALREADY_TERMINAL' });
  }, 20_000);

  it('a task that ignores TERM is SIGKILLed after the grace period, with its child processes', async () => {
    const graceMs = 600;
    const s = spec({ shell: "trap '' TERM; sleep 300 & echo $! > child.pid; echo ready; while :; do sleep 0.05; done" });
    const { pid, sandbox } = await launchOk(s);
    await waitForOutput(sandbox, 'ready');
    const childPid = Number(readSandboxFile(sandbox, 'child.pid').trim());
    strayPids.add(childPid);
    expect(processGone(childPid)).toBe(false);
    const started = Date.now();
    runner.kill(s.taskId, graceMs);
    const status = await waitTerminal(runner, s.taskId);
    const tookMs = Date.now() - started;
    expect(status).toMatchObject({ state: 'KILLED', signal: 'SIGKILL' });
    expect(tookMs).toBeGreaterThanOrEqual(graceMs - 50);
    await waitFor('the task and its child to be gone', () => processGone(pid) && processGone(childPid), 5000);
  }, 20_000);

  it('a kill that arrives while the launch is still in progress is carried out, SIGKILL deadline included', async () => {
    // The kill lands between launch() starting and the spawned process being adopted: the runner
    // must apply it once the process exists (with its grace period and SIGKILL timer), not lose it.
    const s = spec({ shell: "trap '' TERM; echo ready; while :; do sleep 0.05; done" });
    const launching = runner.launch(s);
    expect(runner.kill(s.taskId, 300)).toEqual({ ok: true });
    const result = await launching;
    if (result.ok) strayPids.add(result.pid);
    const status = await waitTerminal(runner, s.taskId, 5000);
    expect(status.state).toBe('KILLED');
    expect(statuses.filter((x) => x.taskId === s.taskId).map((x) => x.state)).toEqual(result.ok ? ['STARTING', 'RUNNING', 'KILLED'] : ['STARTING', 'KILLED']);
    if (result.ok) await waitFor('the task to be gone', () => processGone(result.pid), 5000);
  }, 20_000);

  it('a kill before the process is spawned keeps the task from ever running (REASON_TASK_KILLED_DURING_LAUNCH)', async () => {
    const s = spec({ shell: 'echo ran > ran.txt' });
    const unsubscribe = runner.onStatus((x) => {
      if (x.taskId === s.taskId && x.state === 'STARTING') runner.kill(s.taskId, 0);
    });
    const result = await runner.launch(s);
    unsubscribe();
    expect(result).toMatchObject({ ok: false, code: 'KILLED_DURING_LAUNCH' });
    expect(await runner.wait(s.taskId)).toMatchObject({ state: 'KILLED', reason: 'REASON_TASK_KILLED_DURING_LAUNCH' });
    expect(fs.existsSync(path.join(workDir, 'sandboxes', s.frameworkId, s.taskId, 'ran.txt'))).toBe(false);
  });

  it('a kill that is the task\'s failure (failing health checks) ends it FAILED with that reason', async () => {
    const s = spec({ shell: 'echo ready; exec sleep 60' });
    const { sandbox } = await launchOk(s);
    await waitForOutput(sandbox, 'ready');
    runner.kill(s.taskId, 0, { failure: { reason: 'REASON_TASK_HEALTH_CHECK_FAILED', message: 'health check failed 3 times in a row' } });
    expect(await waitTerminal(runner, s.taskId)).toMatchObject({ state: 'FAILED', reason: 'REASON_TASK_HEALTH_CHECK_FAILED', message: 'health check failed 3 times in a row' });
  }, 20_000);

  it('kill answers UNKNOWN_TASK for a task it never launched', () => {
    expect(runner.kill('nope')).toMatchObject({ ok: false, code: 'UNKNOWN_TASK' });
  });
});

describe('output', () => {
  it('readOutput reads by offset and length', async () => {
    const s = spec({ shell: 'printf 0123456789' });
    await launchOk(s);
    await waitTerminal(runner, s.taskId);
    expect(await runner.readOutput(s.taskId, 'stdout', { offset: 3, length: 4 })).toMatchObject({ ok: true, offset: 3, sizeBytes: 10 });
    const read = await runner.readOutput(s.taskId, 'stdout', { offset: 3, length: 4 });
    expect(read.ok && read.data.toString()).toBe('3456');
    const past = await runner.readOutput(s.taskId, 'stdout', { offset: 50, length: 4 });
    expect(past.ok && past.data.length).toBe(0);
  }, 15_000);

  it('followOutput streams what a running task prints and ends when the task has', async () => {
    const s = spec({ shell: 'for i in 1 2 3; do echo line$i; sleep 0.1; done' });
    await launchOk(s);
    const follow = runner.followOutput(s.taskId, 'stdout', { pollMs: 20 });
    if (!follow.ok) throw new Error(follow.message);
    let text = '';
    for await (const chunk of follow.chunks) text += chunk.toString();
    expect(text).toBe('line1\nline2\nline3\n');
    expect(runner.taskInfo(s.taskId)?.state).toBe('FINISHED');
  }, 15_000);

  it('followOutput stops at its byte bound even while the task keeps printing', async () => {
    const s = spec({ shell: 'while :; do echo abcdefgh; sleep 0.02; done' });
    await launchOk(s);
    const follow = runner.followOutput(s.taskId, 'stdout', { pollMs: 20, maxBytes: 20 });
    if (!follow.ok) throw new Error(follow.message);
    const chunks: Buffer[] = [];
    for await (const chunk of follow.chunks) chunks.push(chunk);
    expect(Buffer.concat(chunks).toString()).toBe('abcdefgh\nabcdefgh\nab');
  }, 15_000);
});

describe('unisolated mode', () => {
  it('runs tasks without cgroups and says so in statistics', async () => {
    const plain = new TaskRunner({ workDir: path.join(workDir, 'plain'), cgroups: { version: 'none', reason: 'test: no cgroups' } });
    try {
      const s = spec({ shell: 'exit 0' });
      const launched = await plain.launch(s);
      expect(launched.ok).toBe(true);
      expect(plain.statistics(s.taskId)).toEqual({ ok: true, isolated: false });
      expect(await waitTerminal(plain, s.taskId)).toMatchObject({ state: 'FINISHED' });
    } finally {
      await stopRunner(plain);
    }
  }, 15_000);
});
