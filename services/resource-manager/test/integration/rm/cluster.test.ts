// The resource manager end to end: a coordination server, two masters and two agents as real
// processes; rmctl and frameworks as their users would run them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { waitFor } from '@ensemble/common';
import type { rmV1 } from '@ensemble/proto';
import { loadRmV1 } from '../../../src/proto';
import { leaderHint, rmErrorCode } from '../../../src/rm-errors';
import { Cluster, TestFramework, coordClient, operator, rmctl, shellTask, startCluster } from '../../support/rm-cluster';

jest.setTimeout(60_000);

let cluster: Cluster;
let out: string;

beforeAll(async () => {
  // 4 cpus per agent: 50 tasks of 0.1 cpus cannot all fit on one.
  cluster = await startCluster({ masters: 2, agents: 2, resources: 'cpus:4;mem:4GiB;disk:1GiB;ports:[31000-31099]' });
  out = path.join(cluster.dir.path, 'out');
  fs.mkdirSync(out);
  const op = await operator(cluster.coordAddress);
  await waitFor(async () => (await op.call<rmV1.ListAgentsResponse__Output>('ListAgents', {})).agents.filter((a) => a.connected).length === 2, { timeoutMs: 15_000, what: 'both agents registered' });
  op.close();
});

afterAll(async () => {
  await cluster?.stop();
});

// Frameworks are torn down after each test, passed or failed, so none holds offers for the next.
const frameworks: TestFramework[] = [];
afterEach(() => {
  for (const f of frameworks.splice(0)) f.close();
});

async function subscribe(name: string, master?: string): Promise<TestFramework> {
  const framework = await TestFramework.subscribe(cluster.coordAddress, name, master);
  frameworks.push(framework);
  return framework;
}

async function leaderAndStandby(): Promise<{ leader: string; standby: string }> {
  const addresses = cluster.masters.map((m) => String(m.ready.address));
  const leader = (await rmctl(cluster.coordAddress, ['leader'])).stdout.trim();
  expect(addresses).toContain(leader);
  return { leader, standby: addresses.find((a) => a !== leader) as string };
}

test('the masters elect one leader; a standby redirects to it', async () => {
  const { leader, standby } = await leaderAndStandby();
  const { Operator } = loadRmV1();
  const client = new Operator(standby, grpc.credentials.createInsecure());
  const err = await new Promise<grpc.ServiceError>((resolve) => client.ListAgents({}, (e) => resolve(e as grpc.ServiceError)));
  client.close();
  expect(err.code).toBe(grpc.status.UNAVAILABLE);
  expect(rmErrorCode(err)).toBe('NOT_LEADER');
  expect(leaderHint(err)).toBe(leader);
  // rmctl and frameworks pointed at the standby end up at the leader.
  const agents = await rmctl(cluster.coordAddress, ['--master', standby, '--json', 'agents']);
  expect(agents.code).toBe(0);
  expect(JSON.parse(agents.stdout)).toHaveLength(2);
  const framework = await subscribe('redirected', standby);
  expect(framework.driver.masterAddress).toBe(leader);
});

test('the election and the agent registry are znodes in the coordination service', async () => {
  const coord = await coordClient(cluster.coordAddress);
  try {
    expect(await coord.getAllChildren('/rm/masters')).toHaveLength(2);
    const op = await operator(cluster.coordAddress);
    const { agents } = await op.call<rmV1.ListAgentsResponse__Output>('ListAgents', {});
    op.close();
    const ids = (await coord.getAllChildren('/rm/registry/agents')).sort();
    expect(ids).toEqual(agents.map((a) => a.info?.agentId).sort());
    for (const id of ids) {
      const entry = JSON.parse((await coord.getData(`/rm/registry/agents/${id}`)).data.toString());
      expect(entry).toMatchObject({ agentId: id, state: 'admitted', info: { resources: { cpusMilli: 4000 } } });
    }
  } finally {
    await coord.close();
  }
});

test('rmctl run launches a task that really runs, streams its output and exits 0', async () => {
  const file = path.join(out, 'hello.txt');
  const res = await rmctl(cluster.coordAddress, ['run', '--cpus', '0.2', '--mem', '32MiB', '--name', 'hello', '--', `echo "hi from $TASK_ID" > ${file}; echo to-stdout; echo to-stderr >&2`]);
  expect(res.code).toBe(0);
  expect(res.stdout).toContain('to-stdout');
  expect(res.stderr).toContain('to-stderr');
  expect(res.stderr).toMatch(/TASK_RUNNING/);
  expect(res.stderr).toMatch(/TASK_FINISHED/);
  expect(fs.readFileSync(file, 'utf8')).toMatch(/^hi from hello-[0-9a-f]+\n$/);
});

test('a failing task: rmctl exits with its exit code, and the task store keeps it', async () => {
  const res = await rmctl(cluster.coordAddress, ['run', '--name', 'fails', '--', 'echo failing; exit 7']);
  expect(res.code).toBe(7);
  expect(res.stderr).toMatch(/TASK_FAILED REASON_COMMAND_EXECUTOR_FAILED exit=7/);
  const tasks = await rmctl(cluster.coordAddress, ['--json', 'tasks', '--all']);
  const failed = (JSON.parse(tasks.stdout) as rmV1.TaskSummary__Output[]).find((t) => t.info?.name === 'fails');
  expect(failed).toMatchObject({ state: 'TASK_FAILED', lastStatus: { exitCode: 7 } });
  const logs = await rmctl(cluster.coordAddress, ['logs', failed?.info?.taskId as string]);
  expect(logs).toMatchObject({ code: 0, stdout: 'failing\n' });
  // Live tasks only, without --all.
  expect((JSON.parse((await rmctl(cluster.coordAddress, ['--json', 'tasks'])).stdout) as unknown[]).length).toBe(0);
});

test('rmctl kill stops a running task and its whole process group', async () => {
  const pidFile = path.join(out, 'sleeper.pid');
  const running = rmctl(cluster.coordAddress, ['run', '--name', 'sleeper', '--', `sleep 60 & echo $! > ${pidFile}; wait`], 40_000);
  const op = await operator(cluster.coordAddress);
  let taskId = '';
  await waitFor(
    async () => {
      const { tasks } = await op.call<rmV1.ListTasksResponse__Output>('ListTasks', {});
      taskId = tasks.find((t) => t.info?.name === 'sleeper' && t.state === 'TASK_RUNNING')?.info?.taskId ?? '';
      return taskId !== '' && fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8').trim() !== '';
    },
    { timeoutMs: 15_000, what: 'the sleeper running' },
  );
  op.close();
  const sleepPid = Number(fs.readFileSync(pidFile, 'utf8'));
  expect(isAlive(sleepPid)).toBe(true);
  const kill = await rmctl(cluster.coordAddress, ['kill', taskId]);
  expect(kill.code).toBe(0);
  const res = await running;
  expect(res.stderr).toMatch(/TASK_KILLED/);
  expect(res.code).not.toBe(0);
  await waitFor(() => !isAlive(sleepPid), { timeoutMs: 5000, what: 'the background sleep to die with its group' });
  expect((await rmctl(cluster.coordAddress, ['kill', taskId])).stderr).toMatch(/ALREADY_TERMINAL/);
});

test('a framework launches 50 tasks across both agents; each really runs', async () => {
  const framework = await subscribe('fifty');
  const dir = path.join(out, 'fifty');
  fs.mkdirSync(dir);
  const ids = Array.from({ length: 50 }, (_, i) => `fifty-${i}`);
  const queue = [...ids];
  const used = new Set<string>();
  framework.driver.on('offers', (offers: rmV1.Offer__Output[]) => {
    for (const offer of offers) {
      const fit = Math.min(queue.length, Math.floor(Number(offer.resources?.cpusMilli) / 100), Math.floor(Number(offer.resources?.memBytes) / (32 * 1024 * 1024)));
      const tasks = queue.splice(0, fit).map((id) => shellTask(id, offer.agentId, `echo $TASK_ID > ${dir}/$TASK_ID; sleep 0.3`));
      if (tasks.length === 0) framework.driver.decline([offer.offerId], 1);
      else {
        used.add(offer.agentId);
        framework.driver.accept([offer.offerId], tasks);
      }
    }
  });
  framework.driver.revive();
  const finals = await Promise.all(ids.map((id) => framework.final(id, 30_000)));
  expect(finals.map((s) => s.state)).toEqual(ids.map(() => 'TASK_FINISHED'));
  expect(new Set(finals.map((s) => s.agentId)).size).toBe(2);
  expect(fs.readdirSync(dir).sort()).toEqual([...ids].sort());
  for (const id of ids) expect(fs.readFileSync(path.join(dir, id), 'utf8')).toBe(`${id}\n`);
});

test('bad accepts are answered with TASK_ERROR / TASK_DROPPED, and nothing is allocated twice', async () => {
  const framework = await subscribe('bad-accepts');
  const statusOf = (id: string) => framework.final(id, 10_000);
  let offer = await framework.takeOffer();
  const agentId = offer.agentId;
  // Unknown offer.
  framework.driver.accept(['no-such-offer'], [shellTask('bad-unknown-offer', agentId, 'true')]);
  expect(await statusOf('bad-unknown-offer')).toMatchObject({ state: 'TASK_DROPPED', reason: 'REASON_INVALID_OFFERS' });
  // More than offered, a duplicate id, a malformed command, and one good task in one ACCEPT.
  const cpus = Number(offer.resources?.cpusMilli);
  framework.driver.accept(
    [offer.offerId],
    [
      shellTask('bad-too-big', agentId, 'true', cpus + 1000),
      shellTask('good-1', agentId, 'true'),
      shellTask('good-1', agentId, 'true'),
      { taskId: 'bad-no-command', agentId, resources: { cpusMilli: 100, memBytes: 32 * 1024 * 1024 } },
    ],
  );
  expect(await statusOf('bad-too-big')).toMatchObject({ state: 'TASK_ERROR', reason: 'REASON_TASK_INVALID' });
  expect(await statusOf('bad-no-command')).toMatchObject({ state: 'TASK_ERROR', reason: 'REASON_TASK_INVALID', message: expect.stringMatching(/no command/) });
  expect(framework.updates.filter((u) => u.taskId === 'good-1' && u.state === 'TASK_ERROR')).toEqual([expect.objectContaining({ message: expect.stringMatching(/twice/) })]);
  await waitFor(() => framework.updates.some((u) => u.taskId === 'good-1' && u.state === 'TASK_FINISHED'), { what: 'good-1 to finish' });
  // The offer was spent by that ACCEPT: using it again is refused.
  framework.driver.accept([offer.offerId], [shellTask('bad-reused-offer', agentId, 'true')]);
  expect(await statusOf('bad-reused-offer')).toMatchObject({ state: 'TASK_DROPPED', message: expect.stringMatching(/already accepted/) });
  // A task id that is already in use.
  offer = await framework.takeOffer();
  framework.driver.accept([offer.offerId], [shellTask('good-1', offer.agentId, 'true')]);
  await waitFor(() => framework.updates.filter((u) => u.taskId === 'good-1' && u.state === 'TASK_ERROR').length === 2, { what: 'the reused id refused' });
  expect(framework.updates.filter((u) => u.taskId === 'good-1').pop()?.message).toMatch(/already in use/);
  // Every resource comes back: nothing was allocated twice or leaked, and good launches still work.
  framework.driver.revive();
  const op = await operator(cluster.coordAddress);
  await waitFor(async () => (await op.call<rmV1.ListAgentsResponse__Output>('ListAgents', {})).agents.every((a) => Number(a.used?.cpusMilli) === 0), { timeoutMs: 10_000, what: 'all resources released' });
  offer = await framework.takeOffer((o) => Number(o.resources?.cpusMilli) === 4000);
  framework.driver.accept([offer.offerId], [shellTask('after-bad', offer.agentId, 'exit 0')]);
  expect(await statusOf('after-bad')).toMatchObject({ state: 'TASK_FINISHED' });
  op.close();
});

test('drain: the agent stops getting offers and its registry znode says draining', async () => {
  const op = await operator(cluster.coordAddress);
  const { agents } = await op.call<rmV1.ListAgentsResponse__Output>('ListAgents', {});
  const agentId = agents[0].info?.agentId as string;
  const res = await rmctl(cluster.coordAddress, ['drain', agentId]);
  expect(res.code).toBe(0);
  const after = await op.call<rmV1.ListAgentsResponse__Output>('ListAgents', {});
  expect(after.agents.find((a) => a.info?.agentId === agentId)?.state).toBe('AGENT_DRAINING');
  op.close();
  const coord = await coordClient(cluster.coordAddress);
  expect(JSON.parse((await coord.getData(`/rm/registry/agents/${agentId}`)).data.toString()).state).toBe('draining');
  await coord.close();
  const framework = await subscribe('after-drain');
  const offer = await framework.takeOffer();
  expect(offer.agentId).not.toBe(agentId);
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
