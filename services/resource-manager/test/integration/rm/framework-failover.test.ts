// Framework failover and reliable status updates (Mesos: failover_timeout, status update
// acknowledgements): a framework that disconnects and re-subscribes with its id within its
// failover timeout keeps its tasks and receives the updates it missed; after the timeout its
// tasks are killed; every update of a batch of tasks reaches a framework that reconnects
// mid-way (launches × transitions, none lost; duplicates carry the same uuid).
import { waitFor } from '@ensemble/common';
import type { rmV1 } from '@ensemble/proto';
import { Cluster, TestFramework, agentState, distinctUpdates, isAlive, operator, shellTask, startCluster } from '../../support/rm-cluster';

jest.setTimeout(60_000);

let cluster: Cluster;
let agentAddress = '';
const open: TestFramework[] = [];

beforeAll(async () => {
  cluster = await startCluster({ masters: 1, agents: 1, resources: 'cpus:4;mem:4GiB;disk:1GiB;ports:[31000-31099]' });
  const op = await operator(cluster.coordAddress);
  await waitFor(async () => (agentAddress = (await op.call<rmV1.ListAgentsResponse__Output>('ListAgents', {})).agents[0]?.info?.address ?? '') !== '', { what: 'the agent registered' });
  op.close();
});

afterAll(async () => {
  for (const f of open) f.close();
  await cluster?.stop();
});

async function subscribe(name: string, info: Partial<rmV1.FrameworkInfo>): Promise<TestFramework> {
  const framework = await TestFramework.subscribe(cluster.coordAddress, name, undefined, info);
  open.push(framework);
  return framework;
}

/** Leaves without TEARDOWN, the way a crashed scheduler does. */
function vanish(framework: TestFramework): void {
  framework.driver.close();
}

async function taskState(taskId: string): Promise<string | undefined> {
  const op = await operator(cluster.coordAddress);
  try {
    return (await op.call<rmV1.GetTaskResponse__Output>('GetTask', { taskId })).task?.state;
  } finally {
    op.close();
  }
}

async function frameworkSummary(frameworkId: string): Promise<rmV1.FrameworkSummary__Output | undefined> {
  const op = await operator(cluster.coordAddress);
  try {
    return (await op.call<rmV1.ListFrameworksResponse__Output>('ListFrameworks', {})).frameworks.find((f) => f.info?.frameworkId === frameworkId);
  } finally {
    op.close();
  }
}

test('re-subscribing within the failover timeout keeps the tasks and delivers the updates missed meanwhile', async () => {
  const first = await subscribe('failover-in-time', { failoverTimeoutMs: 10_000 });
  const offer = await first.takeOffer();
  first.driver.accept([offer.offerId], [shellTask('keeps-running', offer.agentId, 'exec sleep 60'), shellTask('ends-while-away', offer.agentId, 'sleep 1')]);
  await waitFor(() => ['keeps-running', 'ends-while-away'].every((id) => first.updates.some((u) => u.taskId === id && u.state === 'TASK_RUNNING')), { what: 'both running' });
  const frameworkId = first.driver.frameworkId;
  vanish(first);
  await waitFor(async () => (await frameworkSummary(frameworkId))?.connected === false, { what: 'the master to see the framework gone' });
  // The task ends while the framework is away: the master knows, the framework has not heard.
  await waitFor(async () => (await taskState('ends-while-away')) === 'TASK_FINISHED', { what: 'the task to finish while its framework is away' });
  expect(first.updates.some((u) => u.taskId === 'ends-while-away' && u.state === 'TASK_FINISHED')).toBe(false);

  const again = await subscribe('failover-in-time', { frameworkId, failoverTimeoutMs: 10_000 });
  expect(again.driver.frameworkId).toBe(frameworkId);
  const missed = await again.final('ends-while-away');
  expect(missed).toMatchObject({ state: 'TASK_FINISHED', exitCode: 0, source: 'SOURCE_EXECUTOR' });
  expect(missed.uuid).not.toBe('');
  again.driver.reconcile([{ taskId: 'keeps-running' }]);
  await waitFor(() => again.updates.some((u) => u.taskId === 'keeps-running' && u.state === 'TASK_RUNNING' && u.reason === 'REASON_RECONCILIATION'), { what: 'the kept task reconciled as running' });
  expect(await frameworkSummary(frameworkId)).toMatchObject({ connected: true, activeTasks: 1 });
  await waitFor(async () => (await agentState(agentAddress)).tasks.every((t) => t.pendingUpdates === 0), { what: 'every update acknowledged' });
  again.close();
});

test('after the failover timeout the framework is removed and its tasks are killed', async () => {
  const framework = await subscribe('failover-too-late', { failoverTimeoutMs: 1000 });
  const offer = await framework.takeOffer();
  framework.driver.accept([offer.offerId], [shellTask('orphan', offer.agentId, 'exec sleep 60')]);
  await waitFor(() => framework.updates.some((u) => u.taskId === 'orphan' && u.state === 'TASK_RUNNING'), { what: 'orphan running' });
  const pid = (await agentState(agentAddress)).tasks.find((t) => t.taskId === 'orphan')?.pid as number;
  const frameworkId = framework.driver.frameworkId;
  vanish(framework);
  await waitFor(async () => (await taskState('orphan')) === 'TASK_KILLED', { timeoutMs: 15_000, what: 'the orphan killed after the failover timeout' });
  await waitFor(() => !isAlive(pid), { timeoutMs: 5000, what: 'its process gone' });
  await waitFor(async () => (await frameworkSummary(frameworkId)) === undefined, { what: 'the framework removed' });
});

test('every status update of 20 tasks reaches a framework that reconnects mid-way: launches × transitions, none lost', async () => {
  const framework = await subscribe('counted', { failoverTimeoutMs: 30_000 });
  const ids = Array.from({ length: 20 }, (_, i) => `counted-${i}`);
  const offer = await framework.takeOffer();
  framework.driver.accept([offer.offerId], ids.map((id, i) => shellTask(id, offer.agentId, `sleep 0.${2 + (i % 8)}`)));
  await waitFor(() => framework.updates.some((u) => ids.includes(u.taskId)), { what: 'the first update' });
  // Gone while the tasks run and end; back (with its id) before the timeout.
  const frameworkId = framework.driver.frameworkId;
  const before = framework.updates.filter((u) => ids.includes(u.taskId));
  vanish(framework);
  await waitFor(async () => (await agentState(agentAddress)).tasks.filter((t) => ids.includes(t.taskId)).every((t) => t.state === 'TASK_FINISHED'), { timeoutMs: 15_000, what: 'all 20 finished while away' });
  const again = await subscribe('counted', { frameworkId, failoverTimeoutMs: 30_000 });
  await waitFor(async () => (await agentState(agentAddress)).tasks.filter((t) => ids.includes(t.taskId)).every((t) => t.pendingUpdates === 0), { timeoutMs: 20_000, what: 'every update acknowledged' });
  const seen = [...before, ...again.updates];
  for (const id of ids) expect(distinctUpdates(seen, id).map((u) => u.state)).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
  expect(ids.flatMap((id) => distinctUpdates(seen, id))).toHaveLength(ids.length * 3);
  again.close();
});
