// A running task survives the death of a coordination server minority: three coordination
// servers, two masters, an agent and a framework; kill -9 of the coordination servers' Raft
// leader. Sessions move to the survivors (a master may step down and be elected again, or a
// standby may take over); the task keeps running, the framework is still served, and no update
// says otherwise.
import * as path from 'node:path';
import { freeTmpDir, waitFor, type ServiceProcess, type TmpDir } from '@ensemble/common';
import type { rmV1 } from '@ensemble/proto';
// The coordination service's own ensemble harness: three real servers with kill -9.
import { Ensemble } from '../../../../coordination/test/support/ensemble-harness';
import { TestFramework, agentState, distinctUpdates, isAlive, killTasksUnder, operator, readRegistry, shellTask, startAgent, startMaster } from '../../support/rm-cluster';

jest.setTimeout(90_000);

let ensemble: Ensemble | undefined;
let dir: TmpDir;
const processes: ServiceProcess[] = [];
let framework: TestFramework | undefined;

beforeAll(async () => {
  dir = freeTmpDir('rm-coord-minority');
  ensemble = await Ensemble.start({ size: 3, args: ['--min-session-timeout', '300ms', '--no-fsync'] });
  const coord = ensemble.connectString();
  // A session outlives a coordination leader election (a few hundred ms here) with room to spare.
  for (let i = 0; i < 2; i++) processes.push(await startMaster(coord, ['--session-timeout', '4s']));
  processes.push(await startAgent(coord, path.join(dir.path, 'agent'), 'cpus:2;mem:1GiB;disk:1GiB;ports:[31000-31009]'));
  framework = await TestFramework.subscribe(coord, 'coord-minority', undefined, { failoverTimeoutMs: 60_000 });
});

afterAll(async () => {
  framework?.close();
  await Promise.all(processes.reverse().map((p) => p.stop('SIGTERM', 5000)));
  await ensemble?.stop();
  if (dir) killTasksUnder(dir.path);
  dir?.cleanup();
});

test('kill -9 of a coordination server (the Raft leader): the task runs on and the framework is still served', async () => {
  const e = ensemble as Ensemble;
  const f = framework as TestFramework;
  const offer = await f.takeOffer();
  f.driver.accept([offer.offerId], [shellTask('steady', offer.agentId, 'exec sleep 60')]);
  await waitFor(() => f.updates.some((u) => u.taskId === 'steady' && u.state === 'TASK_RUNNING'), { what: 'steady running' });
  const op = await operator(e.connectString());
  const agentAddress = (await op.call<rmV1.ListAgentsResponse__Output>('ListAgents', {})).agents[0].info?.address as string;
  op.close();
  const pid = (await agentState(agentAddress)).tasks.find((t) => t.taskId === 'steady')?.pid as number;

  const coordLeader = await e.waitForLeader();
  await e.kill9(coordLeader);
  await e.waitForLeader(e.running(), 15_000);

  // Served again: the framework's RECONCILE is answered with the task running, by whichever master leads now.
  const mark = f.updates.length;
  await waitFor(
    () => {
      f.driver.reconcile([{ taskId: 'steady' }]);
      return f.updates.slice(mark).some((u) => u.taskId === 'steady' && u.state === 'TASK_RUNNING' && u.reason === 'REASON_RECONCILIATION');
    },
    { timeoutMs: 30_000, intervalMs: 200, what: 'the framework served with the task running' },
  );
  await waitFor(async () => (await agentState(agentAddress)).registered, { timeoutMs: 20_000, what: 'the agent registered' });
  expect((await agentState(agentAddress)).tasks.find((t) => t.taskId === 'steady')).toMatchObject({ state: 'TASK_RUNNING', pid });
  expect(isAlive(pid)).toBe(true);
  expect(distinctUpdates(f.updates, 'steady').map((u) => u.state)).toEqual(['TASK_STARTING', 'TASK_RUNNING']);
  expect(f.updates.filter((u) => ['TASK_LOST', 'TASK_UNREACHABLE', 'TASK_KILLED', 'TASK_FAILED', 'TASK_GONE'].includes(u.state))).toEqual([]);
  expect([...(await readRegistry(e.connectString(e.running()))).values()].map((r) => r.entry.state)).toEqual(['admitted']);
});
