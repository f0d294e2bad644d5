// Master failover with the Redis task store: the leader dies (kill -9), the standby takes over
// through the election, knows every task at once from Redis, the agent re-registers with its
// running task, and the new leader can command it.
import * as grpc from '@grpc/grpc-js';
import { waitFor } from '@ensemble/common';
import type { rmV1 } from '@ensemble/proto';
import { loadRmV1 } from '../../../src/proto';
import { Cluster, TestFramework, operator, rmctl, shellTask, startCluster } from '../../support/rm-cluster';
import { haveRedis, startRedis, type RedisHandle } from '../../support/redis';

jest.setTimeout(60_000);

const describeRedis = haveRedis() ? describe : describe.skip;

describeRedis('master failover', () => {
  let redis: RedisHandle;
  let cluster: Cluster;

  beforeAll(async () => {
    redis = await startRedis();
    cluster = await startCluster({ masters: 2, agents: 1, resources: 'cpus:2;mem:1GiB;disk:1GiB;ports:[31000-31009]', masterArgs: ['--redis-url', redis.url] });
  });

  afterAll(async () => {
    await cluster?.stop();
    redis?.stop();
  });

  test('the standby leads after kill -9 of the leader, with every task known', async () => {
    const finished = await rmctl(cluster.coordAddress, ['run', '--name', 'before-failover', '--', 'echo done']);
    expect(finished.code).toBe(0);
    // A failover timeout of 0 (the default) would let the new leader tear the framework down
    // (killing its task) if the agent re-registers before the framework re-subscribes.
    const framework = await TestFramework.subscribe(cluster.coordAddress, 'survivor', undefined, { failoverTimeoutMs: 60_000 });
    framework.driver.on('closed', () => undefined);
    const offer = await framework.takeOffer();
    framework.driver.accept([offer.offerId], [shellTask('long-runner', offer.agentId, 'exec sleep 60')]);
    await waitFor(() => framework.updates.some((u) => u.taskId === 'long-runner' && u.state === 'TASK_RUNNING'), { what: 'long-runner running' });

    const oldLeader = (await rmctl(cluster.coordAddress, ['leader'])).stdout.trim();
    const leaderProcess = cluster.masters.find((m) => m.ready.address === oldLeader);
    await leaderProcess?.kill9();
    let newLeader = '';
    await waitFor(async () => {
      newLeader = (await rmctl(cluster.coordAddress, ['leader'])).stdout.trim();
      return newLeader !== '' && newLeader !== oldLeader;
    }, { timeoutMs: 15_000, what: 'a new leader' });

    const op = await operator(cluster.coordAddress);
    expect(op.leaderAddress).toBe(newLeader);
    // From Redis at once, and the running task once its agent re-registered.
    await waitFor(async () => {
      const { agents } = await op.call<rmV1.ListAgentsResponse__Output>('ListAgents', {});
      return agents.length === 1 && agents[0].connected && agents[0].activeTasks === 1;
    }, { timeoutMs: 15_000, what: 'the agent re-registered with its task' });
    const { tasks } = await op.call<rmV1.ListTasksResponse__Output>('ListTasks', { includeCompleted: true });
    expect(tasks.find((t) => t.info?.name === 'before-failover')).toMatchObject({ state: 'TASK_FINISHED' });
    expect(tasks.find((t) => t.info?.taskId === 'long-runner')).toMatchObject({ state: 'TASK_RUNNING' });
    const { task } = await op.call<rmV1.GetTaskResponse__Output>('GetTask', { taskId: 'long-runner' });
    expect(task?.history.map((s) => s.state)).toEqual(expect.arrayContaining(['TASK_STAGING', 'TASK_RUNNING']));

    // The new leader commands the task it inherited.
    await op.call('KillTask', { taskId: 'long-runner' });
    await waitFor(async () => (await op.call<rmV1.GetTaskResponse__Output>('GetTask', { taskId: 'long-runner' })).task?.state === 'TASK_KILLED', { what: 'long-runner killed' });
    // The framework re-subscribed with the new leader and hears of it.
    await waitFor(() => framework.updates.some((u) => u.taskId === 'long-runner' && u.state === 'TASK_KILLED'), { what: 'the framework told of the kill' });
    op.close();
    framework.driver.close();

    // The old leader's address no longer answers; GetLeader anywhere names the new one.
    const { Operator } = loadRmV1();
    const client = new Operator(newLeader, grpc.credentials.createInsecure());
    const leader = await new Promise<rmV1.GetLeaderResponse__Output>((resolve, reject) => client.GetLeader({}, (e, r) => (e ? reject(e) : resolve(r as rmV1.GetLeaderResponse__Output))));
    client.close();
    expect(leader.leaderAddress).toBe(newLeader);
    expect(leader.masters.map((m) => m.address)).toEqual([newLeader]);
  });
});
