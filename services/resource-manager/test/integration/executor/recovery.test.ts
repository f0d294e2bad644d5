// Checkpointing and recovery: a fresh runner on the same work dir finds live tasks again and
// reports the ones that ended meanwhile; a checkpoint whose pid now names another process is
// reported LOST and that process is left alone.

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { CgroupSupport, CheckpointStore, DEFAULT_EXECUTOR_LIMITS, LaunchSpec, TaskCheckpoint, TaskRunner, readBootId, readProcStat } from '../../../src/agent/executor';
import { MIB, killQuietly, sweepCgroups, processGone, removeTestCgroups, stopRunner, tempWorkDir, testCgroups, waitFor, waitTerminal } from './helpers';

const cgroups: CgroupSupport = testCgroups('rec');
let workDir: string;
const runners: TaskRunner[] = [];
const strayPids = new Set<number>();

function newRunner(): TaskRunner {
  const runner = new TaskRunner({ workDir, cgroups, limits: { reattachPollMs: 50 } });
  runners.push(runner);
  return runner;
}

function spec(taskId: string, shell: string): LaunchSpec {
  return { taskId, frameworkId: 'fw-rec', command: { shell }, resources: { cpusMilli: 100, memBytes: 32 * MIB, ports: [] } };
}

const sandboxOf = (taskId: string) => path.join(workDir, 'sandboxes', 'fw-rec', taskId);

beforeEach(() => {
  workDir = tempWorkDir();
});

afterEach(async () => {
  try {
    for (const runner of runners.splice(0)) await stopRunner(runner);
  } finally {
    killQuietly(strayPids);
    strayPids.clear();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  expect(await sweepCgroups(cgroups)).toEqual([]);
});

afterAll(() => removeTestCgroups(cgroups));

it('a fresh runner re-attaches to live tasks and reports one that finished meanwhile with its exit code', async () => {
  const first = newRunner();
  const launched = await Promise.all([
    first.launch(spec('long', 'while :; do sleep 0.05; done')),
    first.launch(spec('short', 'sleep 0.2; exit 4')),
    first.launch(spec('gated', 'while [ ! -e go ]; do sleep 0.05; done; echo went; exit 0')),
  ]);
  for (const r of launched) if (r.ok) strayPids.add(r.pid);
  expect(launched.every((r) => r.ok)).toBe(true);
  first.close(); // The agent "dies": nobody watches the tasks any more.

  await waitFor('short to record its exit', () => fs.existsSync(path.join(sandboxOf('short'), '.exit_status')));
  const second = newRunner();
  const events: string[] = [];
  second.onStatus((s) => events.push(`${s.taskId}:${s.state}`));
  const report = await second.recover();

  expect(report.invalid).toEqual([]);
  expect(report.reattached.map((t) => t.taskId).sort()).toEqual(['gated', 'long']);
  expect(report.terminated).toEqual([expect.objectContaining({ taskId: 'short', state: 'FAILED', exitCode: 4, reason: 'REASON_COMMAND_EXECUTOR_FAILED' })]);

  // A re-attached task's own end is seen by polling and its real exit status read from the sandbox.
  fs.writeFileSync(path.join(sandboxOf('gated'), 'go'), '');
  expect(await waitTerminal(second, 'gated')).toMatchObject({ state: 'FINISHED', exitCode: 0 });
  const out = await second.readOutput('gated', 'stdout', { offset: 0, length: 100 });
  expect(out.ok && out.data.toString()).toBe('went\n');

  // And it can still be killed: TERM to its group, seen by polling, KILLED.
  const longPid = report.reattached.find((t) => t.taskId === 'long')!.pid;
  expect(second.kill('long', 2000)).toEqual({ ok: true });
  expect(await waitTerminal(second, 'long')).toMatchObject({ state: 'KILLED' });
  await waitFor('long to be gone', () => processGone(longPid), 5000);
  expect(events.sort()).toEqual(['gated:FINISHED', 'long:KILLED']);

  // A third start reports everything as already terminal, until the agent forgets the tasks.
  const third = newRunner();
  const again = await third.recover();
  expect(again.reattached).toEqual([]);
  expect(again.terminated.map((s) => `${s.taskId}:${s.state}`).sort()).toEqual(['gated:FINISHED', 'long:KILLED', 'short:FAILED']);
  for (const id of ['gated', 'long', 'short']) expect(third.forget(id)).toEqual({ ok: true });
  expect(fs.readdirSync(path.join(workDir, 'meta', 'tasks'))).toEqual([]);
}, 30_000);

it('tasks survive kill -9 of their agent process, and the next agent recovers them', async () => {
  const fixture = path.join(__dirname, '..', '..', 'fixtures', 'executor-agent.js');
  const dist = path.join(__dirname, '..', '..', '..', 'dist', 'agent', 'executor', 'index.js');
  if (!fs.existsSync(dist)) throw new Error(`${dist} is missing: run \`npx tsc -b\` before the integration tests`);
  const parentName = cgroups.version === 'none' ? 'unused' : cgroups.parentName;
  const config = { workDir, parentName, tasks: [spec('survivor', 'trap "exit 9" TERM; while :; do sleep 0.05; done')] };
  const agent = spawn(process.execPath, [fixture, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => agent.once('exit', () => resolve()));
  try {
    const line = await new Promise<string>((resolve, reject) => {
      readline.createInterface({ input: agent.stdout! }).once('line', resolve);
      agent.once('exit', (code) => reject(new Error(`agent exited ${code} before launching`)));
    });
    const survivorPid = (JSON.parse(line) as { pids: Record<string, number> }).pids.survivor!;
    strayPids.add(survivorPid);
    agent.kill('SIGKILL');
    await exited;
    expect(processGone(survivorPid)).toBe(false);

    const next = newRunner();
    const report = await next.recover();
    expect(report.reattached.map((t) => [t.taskId, t.pid])).toEqual([['survivor', survivorPid]]);
    next.kill('survivor', 2000);
    expect(await waitTerminal(next, 'survivor')).toMatchObject({ state: 'KILLED', exitCode: 9 });
  } finally {
    agent.kill('SIGKILL');
  }
}, 30_000);

it('a checkpoint whose start time does not match the process at its pid is reported LOST, and that process is left alone', async () => {
  // An unrelated process holds the pid now (PID reuse); it must not be re-attached or signalled.
  // Detached: its own process group, so a wrongly aimed group kill would hit only it.
  const bystander = spawn('sleep', ['30'], { stdio: 'ignore', detached: true });
  const bystanderPid = bystander.pid!;
  strayPids.add(bystanderPid);
  const stat = readProcStat(bystanderPid)!;
  const sandbox = path.join(workDir, 'sandboxes', 'fw-rec', 'reused');
  fs.mkdirSync(sandbox, { recursive: true });
  const record: TaskCheckpoint = {
    formatVersion: 1,
    taskId: 'reused',
    frameworkId: 'fw-rec',
    pid: bystanderPid,
    pgid: stat.pgid,
    startTimeTicks: stat.startTimeTicks + 12_345,
    bootId: readBootId(),
    cgroup: null,
    sandbox,
    command: { shell: 'sleep 30' },
    resources: { cpusMilli: 100, memBytes: 32 * MIB, ports: [] },
    killGracePeriodMs: 1000,
    launchedAtMs: Date.now(),
  };
  const store = new CheckpointStore(workDir, DEFAULT_EXECUTOR_LIMITS.checkpointBytesMax);
  store.write(record);
  store.write({ ...record, taskId: 'rebooted', startTimeTicks: stat.startTimeTicks, bootId: 'another-boot' });
  fs.writeFileSync(path.join(store.dir, 'garbage.json'), '{"pid": ');

  const runner = newRunner();
  const report = await runner.recover();
  expect(report.reattached).toEqual([]);
  expect(report.terminated).toEqual([
    expect.objectContaining({ taskId: 'rebooted', state: 'LOST', reason: 'REASON_EXECUTOR_TERMINATED', message: 'the host rebooted since the task was launched' }),
    expect.objectContaining({ taskId: 'reused', state: 'LOST', reason: 'REASON_EXECUTOR_TERMINATED', message: expect.stringContaining('another process') }),
  ]);
  expect(report.invalid).toEqual([{ file: path.join(store.dir, 'garbage.json'), message: expect.stringMatching(/^checkpoint is not JSON/) }]);
  expect(runner.kill('reused')).toMatchObject({ ok: false, code: 'ALREADY_TERMINAL' });
  expect(readProcStat(bystanderPid)?.state).not.toBe('Z');
  expect(processGone(bystanderPid)).toBe(false);
  bystander.kill('SIGKILL');
}, 15_000);
