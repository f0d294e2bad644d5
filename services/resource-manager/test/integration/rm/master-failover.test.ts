// A running task survives the death of any master, and every status update reaches its
// framework: kill -9 of the leader with tasks running and ending meanwhile (the framework's
// driver follows the new leader by itself and keeps its tasks; every update arrives, once per
// uuid), then a leader paused (SIGSTOP) past its session expiry: when it resumes it must step
// down, and none of its registry writes may succeed; and `rmctl run` across a leader's death.
import * as grpc from '@grpc/grpc-js';
import { waitFor, type ServiceProcess } from '@ensemble/common';
import type { rmV1 } from '@ensemble/proto';
import { readMasters } from '../../../src/leader-detector';
import { loadRmV1 } from '../../../src/proto';
import { rmErrorCode } from '../../../src/rm-errors';
import { Cluster, TestFramework, agentState, coordClient, distinctUpdates, isAlive, operator, readRegistry, rmctl, shellTask, startCluster, startMaster } from '../../support/rm-cluster';
import { haveRedis, startRedis, type RedisHandle } from '../../support/redis';

jest.setTimeout(60_000);

let redis: RedisHandle | undefined;
let cluster: Cluster;
let masterArgs: string[] = [];
const extraMasters: ServiceProcess[] = [];
let framework: TestFramework;
let agentAddress = '';
const LONG = ['long-0', 'long-1', 'long-2'];
const SHORT = ['short-0', 'short-1', 'short-2'];

beforeAll(async () => {
  // With Redis the new leader knows every task from the task store at once; without, from the agents.
  redis = haveRedis() ? await startRedis() : undefined;
  masterArgs = redis ? ['--redis-url', redis.url] : [];
  cluster = await startCluster({ masters: 2, agents: 1, resources: 'cpus:4;mem:4GiB;disk:1GiB;ports:[31000-31099]', masterArgs });
  framework = await TestFramework.subscribe(cluster.coordAddress, 'survivor', undefined, { failoverTimeoutMs: 60_000 });
});

afterAll(async () => {
  framework?.close();
  // A master a failed test left paused could not exit.
  for (const m of [...(cluster?.masters ?? []), ...extraMasters]) m.stopSignal('SIGCONT');
  await Promise.all(extraMasters.map((m) => m.stop('SIGTERM', 5000)));
  await cluster?.stop();
  redis?.stop();
});

async function leaderProcess(): Promise<ServiceProcess> {
  const coord = await coordClient(cluster.coordAddress);
  const leader = (await readMasters(coord, '/rm'))[0]?.address;
  await coord.close();
  const proc = [...cluster.masters, ...extraMasters].find((m) => m.ready.address === leader);
  if (!proc) throw new Error(`no master process at ${leader}`);
  return proc;
}

function updatesSince(index: number, taskId: string): rmV1.TaskStatus__Output[] {
  return framework.updates.slice(index).filter((u) => u.taskId === taskId);
}

test('kill -9 of the leading master: a standby leads, the framework keeps its tasks, and no update is lost', async () => {
  const offer = await framework.takeOffer();
  const tasks = [...LONG.map((id) => shellTask(id, offer.agentId, 'exec sleep 60')), ...SHORT.map((id) => shellTask(id, offer.agentId, 'sleep 1.5'))];
  framework.driver.accept([offer.offerId], tasks);
  await waitFor(() => [...LONG, ...SHORT].every((id) => framework.updates.some((u) => u.taskId === id && u.state === 'TASK_RUNNING')), { what: 'all six tasks running' });
  const op = await operator(cluster.coordAddress);
  agentAddress = (await op.call<rmV1.ListAgentsResponse__Output>('ListAgents', {})).agents[0].info?.address as string;
  op.close();
  const pids = new Map((await agentState(agentAddress)).tasks.map((t) => [t.taskId, t.pid]));

  const old = await leaderProcess();
  const oldAddress = String(old.ready.address);
  const frameworkId = framework.driver.frameworkId;
  const mark = framework.updates.length;
  const killedAt = Date.now();
  await old.kill9();
  // "A standby leads and a framework's call succeeds": the driver re-subscribes by itself; a
  // RECONCILE through it is answered by the new leader.
  await waitFor(() => framework.driver.connected && framework.driver.masterAddress !== oldAddress, { timeoutMs: 20_000, intervalMs: 10, what: 'the framework re-subscribed at a new leader' });
  await waitFor(
    () => {
      framework.driver.reconcile(LONG.map((taskId) => ({ taskId })));
      return LONG.every((id) => updatesSince(mark, id).some((u) => u.reason === 'REASON_RECONCILIATION' && u.state === 'TASK_RUNNING'));
    },
    { timeoutMs: 20_000, intervalMs: 50, what: 'the new leader to answer a reconciliation with the tasks running' },
  );
  const failoverMs = Date.now() - killedAt;
  const standby = cluster.masters.find((m) => m !== old) as ServiceProcess;
  const at = (msg: string) => {
    const line = standby.lines.find((l) => l.msg === msg && Date.parse(String(l.ts)) >= killedAt - 100);
    return line ? `${Date.parse(String(line.ts)) - killedAt} ms` : '?';
  };
  console.log(`master failover (test settings: --session-timeout 2s): kill -9 of the leader -> a standby leads and a framework call succeeds in ${failoverMs} ms (elected after ${at('became leader')}, ready after ${at('leader ready')})`);
  expect(framework.driver.frameworkId).toBe(frameworkId);

  // The short tasks ended during the failover: their outcome arrives, and every update of every
  // task arrived exactly once per uuid, in order (duplicates, if any, carry the same uuid).
  await Promise.all(SHORT.map((id) => framework.final(id, 20_000)));
  for (const id of LONG) expect(distinctUpdates(framework.updates, id).map((u) => u.state)).toEqual(['TASK_STARTING', 'TASK_RUNNING']);
  for (const id of SHORT) expect(distinctUpdates(framework.updates, id).map((u) => u.state)).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
  expect(framework.updates.filter((u) => ['TASK_LOST', 'TASK_UNREACHABLE', 'TASK_KILLED', 'TASK_FAILED'].includes(u.state))).toEqual([]);

  // The long tasks are the same processes, and the agent holds no unacknowledged update.
  await waitFor(async () => (await agentState(agentAddress)).tasks.every((t) => t.pendingUpdates === 0), { what: 'every update acknowledged' });
  const after = await agentState(agentAddress);
  for (const id of LONG) {
    expect(after.tasks.find((t) => t.taskId === id)).toMatchObject({ state: 'TASK_RUNNING', pid: pids.get(id) });
    expect(isAlive(pids.get(id) as number)).toBe(true);
  }
  const op2 = await operator(cluster.coordAddress);
  const { frameworks } = await op2.call<rmV1.ListFrameworksResponse__Output>('ListFrameworks', {});
  expect(frameworks.find((f) => f.info?.frameworkId === frameworkId)).toMatchObject({ connected: true, activeTasks: LONG.length });
  op2.close();
});

test('fencing: a leader paused past its session expiry steps down when it resumes, and none of its registry writes succeed', async () => {
  // A standby to take over from the current leader.
  extraMasters.push(await startMaster(cluster.coordAddress, masterArgs));
  const paused = await leaderProcess();
  const pausedAddress = String(paused.ready.address);
  const agentId = (await agentState(agentAddress)).info?.agentId as string;
  paused.stopSignal('SIGSTOP');
  const pausedAt = Date.now();
  // Asked while it is paused, the deposed leader sees this drain (a fenced registry write) first thing when it resumes.
  const { Operator } = loadRmV1();
  const direct = new Operator(pausedAddress, grpc.credentials.createInsecure());
  const drain = new Promise<grpc.ServiceError | null>((resolve) => direct.DrainAgent({ agentId }, { deadline: Date.now() + 30_000 }, (err) => resolve(err)));

  // A new leader, with the agent and the framework on it.
  let newLeader = '';
  await waitFor(
    async () => {
      const coord = await coordClient(cluster.coordAddress);
      newLeader = (await readMasters(coord, '/rm'))[0]?.address ?? '';
      await coord.close();
      return newLeader !== '' && newLeader !== pausedAddress;
    },
    { timeoutMs: 20_000, what: 'a new leader while the old one is paused' },
  );
  await waitFor(async () => (await agentState(agentAddress)).masterAddress === newLeader && framework.driver.masterAddress === newLeader && framework.driver.connected, { timeoutMs: 20_000, what: 'agent and framework at the new leader' });
  console.log(`fencing: the paused leader was replaced after ${Date.now() - pausedAt} ms`);
  const before = await readRegistry(cluster.coordAddress);
  expect(before.get(agentId)?.entry.state).toBe('admitted');

  const linesBefore = paused.lineCount();
  paused.stopSignal('SIGCONT');
  await paused.waitForLine((l) => l.msg === 'lost leadership', 15_000, linesBefore);
  const err = await drain;
  direct.close();
  expect(err).not.toBeNull();
  expect(['NOT_LEADER', 'FENCED', 'INTERNAL']).toContain(rmErrorCode(err));
  // Nothing it tried reached the registry: every entry is as the new leader left it.
  expect(await readRegistry(cluster.coordAddress)).toEqual(before);
  // It is a standby now, naming the new leader; the cluster runs on.
  await waitFor(
    () =>
      new Promise<boolean>((resolve) => {
        const client = new Operator(pausedAddress, grpc.credentials.createInsecure());
        client.GetLeader({}, (e, res) => {
          client.close();
          resolve(!e && res?.leaderAddress === newLeader);
        });
      }),
    { timeoutMs: 15_000, what: 'the old leader to name the new one' },
  );
  const mark = framework.updates.length;
  await waitFor(
    () => {
      framework.driver.reconcile(LONG.map((taskId) => ({ taskId })));
      return LONG.every((id) => updatesSince(mark, id).some((u) => u.state === 'TASK_RUNNING'));
    },
    { timeoutMs: 10_000, intervalMs: 100, what: 'the long tasks still running' },
  );
});

test('rmctl run rides out a leader failover: it re-subscribes, keeps its task and prints all of its output', async () => {
  // The other framework leaves (its offers with it), so that rmctl is offered the agent.
  framework.close();
  const running = rmctl(cluster.coordAddress, ['run', '--name', 'through-failover', '--', 'echo before; sleep 3; echo after'], 45_000);
  // Kill the leader once the task runs (its output has started).
  await waitFor(
    async () => {
      const op = await operator(cluster.coordAddress);
      try {
        const { tasks } = await op.call<rmV1.ListTasksResponse__Output>('ListTasks', {});
        return tasks.some((t) => t.info?.name === 'through-failover' && t.state === 'TASK_RUNNING');
      } finally {
        op.close();
      }
    },
    { timeoutMs: 15_000, what: 'the rmctl task running' },
  );
  await (await leaderProcess()).kill9();
  const res = await running;
  expect(res.stderr).toMatch(/re-subscribed at/);
  expect(res.stderr).toMatch(/TASK_FINISHED/);
  expect(res.stdout).toBe('before\nafter\n');
  expect(res.code).toBe(0);
});
