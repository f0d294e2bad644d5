// A running task survives the death of its agent process, and of its agent's link: kill -9 of
// the agent (its tasks run on; restarted on the same work dir it re-attaches to the live ones,
// reports those that ended meanwhile with their real outcome, and re-registers), an agent
// partitioned away (SIGSTOP past the agent timeout: UNREACHABLE, then RUNNING again on its
// return), and an agent an operator marks GONE (its tasks GONE, and it may not come back).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { waitFor, type ServiceProcess } from '@ensemble/common';
import type { rmV1 } from '@ensemble/proto';
import { Cluster, TestFramework, agentState, distinctUpdates, isAlive, operator, readRegistry, shellTask, startAgent, startCluster, within } from '../../support/rm-cluster';

jest.setTimeout(60_000);

const RESOURCES = 'cpus:4;mem:4GiB;disk:1GiB;ports:[31000-31099]';
let cluster: Cluster;
let agent: ServiceProcess;
let agentAddress = '';
let agentId = '';
let workDir = '';
let framework: TestFramework;
const SURVIVE = ['survive-0', 'survive-1', 'survive-2', 'survive-3'];
const FAIL = ['fail-0', 'fail-1', 'fail-2', 'fail-3'];
const FINISH = ['finish-0', 'finish-1', 'finish-2', 'finish-3'];

beforeAll(async () => {
  cluster = await startCluster({ masters: 1, agents: 1, resources: RESOURCES });
  agent = cluster.agents[0];
  workDir = path.join(cluster.dir.path, 'agent-0');
  framework = await TestFramework.subscribe(cluster.coordAddress, 'recovery', undefined, { failoverTimeoutMs: 60_000 });
});

afterAll(async () => {
  framework?.close();
  agent?.stopSignal('SIGCONT');
  if (agent !== cluster?.agents[0]) await agent?.stop('SIGTERM', 5000);
  await cluster?.stop();
});

async function listAgent(): Promise<rmV1.AgentSummary__Output | undefined> {
  const op = await operator(cluster.coordAddress);
  try {
    return (await op.call<rmV1.ListAgentsResponse__Output>('ListAgents', {})).agents.find((a) => a.info?.agentId === agentId);
  } finally {
    op.close();
  }
}

function sandbox(taskId: string): string {
  return path.join(workDir, 'sandboxes', framework.driver.frameworkId, taskId);
}

test('kill -9 of the agent: its tasks run on; restarted, it re-attaches, reports the real outcome of those that ended, and re-registers', async () => {
  const offer = await framework.takeOffer();
  agentId = offer.agentId;
  framework.driver.accept([offer.offerId], [
    ...SURVIVE.map((id) => shellTask(id, agentId, 'exec sleep 60')),
    ...FAIL.map((id) => shellTask(id, agentId, 'sleep 1; exit 3')),
    ...FINISH.map((id) => shellTask(id, agentId, 'sleep 1')),
  ]);
  const all = [...SURVIVE, ...FAIL, ...FINISH];
  await waitFor(() => all.every((id) => framework.updates.some((u) => u.taskId === id && u.state === 'TASK_RUNNING')), { what: 'all tasks running' });
  agentAddress = (await listAgent())?.info?.address as string;
  const pids = new Map((await agentState(agentAddress)).tasks.map((t) => [t.taskId, t.pid]));

  await agent.kill9();
  // The tasks outlive their agent: the short ones end meanwhile (their wrapper records how).
  await waitFor(() => [...FAIL, ...FINISH].every((id) => fs.existsSync(path.join(sandbox(id), '.exit_status'))), { timeoutMs: 10_000, what: 'the short tasks to end while the agent is down' });
  for (const id of SURVIVE) expect(isAlive(pids.get(id) as number)).toBe(true);

  agent = await startAgent(cluster.coordAddress, workDir, RESOURCES);
  await waitFor(async () => (await listAgent())?.connected === true, { timeoutMs: 15_000, what: 'the agent re-registered' });
  agentAddress = String(agent.ready.address);
  expect((await agentState(agentAddress)).info?.agentId).toBe(agentId);
  for (const id of FAIL) expect(await framework.final(id)).toMatchObject({ state: 'TASK_FAILED', reason: 'REASON_COMMAND_EXECUTOR_FAILED', exitCode: 3 });
  for (const id of FINISH) expect(await framework.final(id)).toMatchObject({ state: 'TASK_FINISHED', exitCode: 0 });
  const state = await agentState(agentAddress);
  for (const id of SURVIVE) expect(state.tasks.find((t) => t.taskId === id)).toMatchObject({ state: 'TASK_RUNNING', pid: pids.get(id) });

  // Status updates: launches × transitions, none lost, none made twice (one uuid per transition).
  await waitFor(async () => (await agentState(agentAddress)).tasks.every((t) => t.pendingUpdates === 0), { what: 'every update acknowledged' });
  for (const id of SURVIVE) expect(distinctUpdates(framework.updates, id).map((u) => u.state)).toEqual(['TASK_STARTING', 'TASK_RUNNING']);
  for (const id of FAIL) expect(distinctUpdates(framework.updates, id).map((u) => u.state)).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_FAILED']);
  for (const id of FINISH) expect(distinctUpdates(framework.updates, id).map((u) => u.state)).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
  expect(all.flatMap((id) => distinctUpdates(framework.updates, id))).toHaveLength(SURVIVE.length * 2 + (FAIL.length + FINISH.length) * 3);
  expect(framework.updates.filter((u) => u.state === 'TASK_LOST' || u.state === 'TASK_UNREACHABLE')).toEqual([]);
});

test('an agent partitioned away is UNREACHABLE with its tasks; when it returns they are RUNNING again', async () => {
  const mark = framework.updates.length;
  agent.stopSignal('SIGSTOP');
  await waitFor(async () => (await listAgent())?.state === 'AGENT_UNREACHABLE', { timeoutMs: 15_000, what: 'the agent marked unreachable' });
  await waitFor(() => SURVIVE.every((id) => framework.updates.slice(mark).some((u) => u.taskId === id && u.state === 'TASK_UNREACHABLE' && u.reason === 'REASON_AGENT_UNREACHABLE')), { what: 'its tasks unreachable' });
  expect((await readRegistry(cluster.coordAddress)).get(agentId)?.entry.state).toBe('unreachable');

  const back = framework.updates.length;
  agent.stopSignal('SIGCONT');
  await waitFor(async () => {
    const a = await listAgent();
    return a?.state === 'AGENT_ADMITTED' && a.connected;
  }, { timeoutMs: 15_000, what: 'the agent back and admitted' });
  await waitFor(() => SURVIVE.every((id) => framework.updates.slice(back).some((u) => u.taskId === id && u.state === 'TASK_RUNNING')), { what: 'its tasks running again' });
  expect((await readRegistry(cluster.coordAddress)).get(agentId)?.entry.state).toBe('admitted');
  expect((await listAgent())?.activeTasks).toBe(SURVIVE.length);
});

test('an operator marks an unreachable agent GONE: its tasks are GONE, and when it comes back it is shut down', async () => {
  const pids = (await agentState(agentAddress)).tasks.filter((t) => SURVIVE.includes(t.taskId)).map((t) => t.pid);
  const mark = framework.updates.length;
  agent.stopSignal('SIGSTOP');
  await waitFor(async () => (await listAgent())?.state === 'AGENT_UNREACHABLE', { timeoutMs: 15_000, what: 'the agent marked unreachable' });
  const op = await operator(cluster.coordAddress);
  await op.call('MarkAgentGone', { agentId });
  op.close();
  await waitFor(() => SURVIVE.every((id) => framework.updates.slice(mark).some((u) => u.taskId === id && u.state === 'TASK_GONE')), { what: 'its tasks gone' });
  expect((await readRegistry(cluster.coordAddress)).get(agentId)?.entry.state).toBe('gone');

  agent.stopSignal('SIGCONT');
  // It may not come back: told to shut down, it kills its tasks and exits.
  expect(await within(agent.exited, 15_000, 'still running')).not.toBe('still running');
  await waitFor(() => pids.every((pid) => !isAlive(pid)), { timeoutMs: 10_000, what: 'its tasks killed' });
  expect((await listAgent())?.state).toBe('AGENT_GONE');
});
